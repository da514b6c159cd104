// GET /api/analytics — the key's project: storage, delivery and processing over a window
import { getProjectUsage } from "@/lib/analytics/analytics";
import { renderUsage } from "@/lib/analytics/render";
import { ZAnalyticsQuery } from "@/lib/analytics/schemas";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";

export const GET = withApi(async (ctx) => ctx.object(renderUsage(await getProjectUsage(ctx.scope, ctx.query))), { query: ZAnalyticsQuery });

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
