// POST /api/domains/{id}/verify — look the CNAME up now: `active` when it points here, else `failed` with the reason
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { verifyDomain } from "@/lib/domains/domains";
import { renderDomain } from "@/lib/domains/render";
import { domainTarget } from "@/lib/domains/target";

export const POST = withApi(async (ctx) => {
  const target = domainTarget(ctx.request.headers);
  return ctx.object(renderDomain(ctx.profile, await verifyDomain(ctx.scope, ctx.id, target), target), { collection: "/api/domains" });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
