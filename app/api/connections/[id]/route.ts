// GET/PATCH/DELETE /api/connections/{id} — one connection (con_ or conn_ ids)
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { deleteConnection, getConnectionOrThrow, updateConnection } from "@/lib/connections/connections";
import { renderConnection } from "@/lib/connections/render";
import { ZUpdateConnection } from "@/lib/connections/schemas";

const collection = "/api/connections";

export const GET = withApi(async (ctx) =>
  ctx.object(renderConnection(ctx.profile, await getConnectionOrThrow(ctx.scope, ctx.id)), { collection }),
);

export const PATCH = withApi(
  async (ctx) => ctx.object(renderConnection(ctx.profile, await updateConnection(ctx.scope, ctx.id, ctx.body)), { collection }),
  { body: ZUpdateConnection },
);

export const DELETE = withApi(async (ctx) => {
  const deleted = await deleteConnection(ctx.scope, ctx.id);
  return ctx.message(`${deleted.id} deleted`);
});

export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
