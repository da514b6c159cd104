// GET/DELETE /api/domains/{id} — one custom delivery domain
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { deleteDomain, getDomainOrThrow } from "@/lib/domains/domains";
import { renderDomain } from "@/lib/domains/render";
import { domainTarget } from "@/lib/domains/target";

export const GET = withApi(async (ctx) =>
  ctx.object(renderDomain(ctx.profile, await getDomainOrThrow(ctx.scope, ctx.id), domainTarget(ctx.request.headers)), { collection: "/api/domains" }),
);

export const DELETE = withApi(async (ctx) => {
  const deleted = await deleteDomain(ctx.scope, ctx.id);
  return ctx.message(`${deleted.id} deleted`);
});

export const { POST, PUT, PATCH } = methodsNotAllowed("GET", "DELETE");
