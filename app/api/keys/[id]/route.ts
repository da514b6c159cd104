// GET/PATCH/DELETE /api/keys/{id} — one API key; DELETE revokes it for good
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { getKeyOrThrow, keyActor, revokeKey, updateKey } from "@/lib/keys/keys";
import { renderKey } from "@/lib/keys/render";
import { ZUpdateKey } from "@/lib/keys/schemas";

const collection = "/api/keys";

export const GET = withApi(async (ctx) => ctx.object(renderKey(ctx.profile, await getKeyOrThrow(ctx.scope, ctx.id)), { collection }));

export const PATCH = withApi(
  async (ctx) => ctx.object(renderKey(ctx.profile, await updateKey(ctx.scope, ctx.id, ctx.body, { actor: keyActor(ctx.auth) })), { collection }),
  { body: ZUpdateKey },
);

export const DELETE = withApi(async (ctx) => {
  const key = await revokeKey(ctx.scope, ctx.id, { actor: keyActor(ctx.auth) });
  return ctx.message(`${key.id} deleted`);
});

export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
