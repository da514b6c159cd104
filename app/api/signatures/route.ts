// POST /api/signatures — a signed, expiring URL for a file path (get, or put for uploads)
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { ZCreateSignature, createSignature } from "@/lib/signatures/signatures";

export const POST = withApi(async (ctx) => ctx.object(await createSignature(ctx.scope, ctx.body, ctx.info.url.origin), { status: 201 }), {
  body: ZCreateSignature,
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
