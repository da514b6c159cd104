// GET /api/domains — list custom delivery domains · POST /api/domains — add one (`{hostname}`; pending until verified)
import { ZListQuery, pageModeFor } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { createDomain, listDomains } from "@/lib/domains/domains";
import { renderDomain } from "@/lib/domains/render";
import { ZCreateDomain } from "@/lib/domains/schemas";
import { domainTarget } from "@/lib/domains/target";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listDomains(ctx.scope, ctx.query, pageModeFor(ctx.profile));
    const target = domainTarget(ctx.request.headers);
    return ctx.list(items.map((d) => renderDomain(ctx.profile, d, target)), page);
  },
  { query: ZListQuery },
);

export const POST = withApi(
  async (ctx) => {
    const target = domainTarget(ctx.request.headers);
    return ctx.object(renderDomain(ctx.profile, await createDomain(ctx.scope, ctx.body, target), target), { status: 201, collection: "/api/domains" });
  },
  { body: ZCreateDomain },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
