// GET /api/keys — list this project's API keys · POST /api/keys — create one (the secret is shown once)
import { ZListQuery } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { assertMayCreateKey, createKey, keyActor, listKeys } from "@/lib/keys/keys";
import { renderKey } from "@/lib/keys/render";
import { ZCreateKey } from "@/lib/keys/schemas";

export const GET = withApi(
  async (ctx) => {
    const keys = await listKeys(ctx.scope);
    return ctx.list(keys.map((key) => renderKey(ctx.profile, key)), { limit: keys.length, hasMore: false, page: { page: 1, total: keys.length, pages: 1 } });
  },
  { query: ZListQuery },
);

export const POST = withApi(
  async (ctx) => {
    const { key, secret } = await createKey(ctx.scope, ctx.body, { actor: keyActor(ctx.auth) });
    return ctx.object(renderKey(ctx.profile, key, secret), { status: 201, collection: "/api/keys", oneTime: ["secret"] });
  },
  { body: ZCreateKey, authorize: (ctx) => assertMayCreateKey(keyActor(ctx.auth), ctx.body) },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
