// GET /api/analytics/projects/{id} — a project of the key's organisation (admin keys for any but the key's own)
import { getOrgProjectUsage } from "@/lib/analytics/analytics";
import { renderUsage } from "@/lib/analytics/render";
import { ZAnalyticsQuery } from "@/lib/analytics/schemas";
import { AppError } from "@/lib/api/errors";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { canonicalId } from "@/lib/ids";

export const GET = withApi(async (ctx) => ctx.object(renderUsage(await getOrgProjectUsage(ctx.scope, ctx.id, ctx.query))), {
  query: ZAnalyticsQuery,
  authorize: (ctx) => {
    if (canonicalId(ctx.id) !== ctx.auth.projectId && !ctx.auth.admin) {
      throw new AppError("admin_required", "Another project's usage needs an API key created with `admin: true`.");
    }
  },
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
