// GET /api/uploads — list upload URLs · POST /api/uploads — a one-time upload URL (multipart POST, raw PUT or tus)
import { pageModeFor } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { requestOrigin } from "@/lib/net/client-address";
import { renderUpload } from "@/lib/uploads/render";
import { ZCreateUpload, ZListUploads } from "@/lib/uploads/schemas";
import { createUploadUrl, listUploads } from "@/lib/uploads/uploads";

const collection = "/api/uploads";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listUploads(ctx.scope, ctx.query, pageModeFor(ctx.profile));
    return ctx.list(items.map((upload) => renderUpload(ctx.profile, upload)), page);
  },
  { query: ZListUploads },
);

export const POST = withApi(
  async (ctx) => {
    const options = { kind: "url" as const, createdBy: ctx.auth.keyId, apiKeyId: ctx.auth.keyId, profile: ctx.profile, origin: requestOrigin(ctx.request.headers) };
    const { upload, url } = await createUploadUrl(ctx.scope, ctx.body, options);
    // The URL is the credential: an idempotent replay answers the upload without it.
    return ctx.object(renderUpload(ctx.profile, upload, { url }), { status: 201, collection, oneTime: ["url"] });
  },
  { body: ZCreateUpload },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
