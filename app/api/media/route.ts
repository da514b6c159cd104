// GET /api/media — list media items · POST /api/media — an empty item (B) or one ingested from `url` (A)
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { createFileFromUrl } from "@/lib/files/create";
import { createEmptyMedia, getMediaOrThrow, listMedia } from "@/lib/media-items/media";
import { renderMedia } from "@/lib/media-items/render";
import { ZCreateMedia, ZListMedia } from "@/lib/media-items/schemas";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listMedia(ctx.scope, ctx.query, ctx.profile);
    return ctx.list(items.map((m) => renderMedia(ctx.profile, m, ctx.info.url.origin)), page);
  },
  { query: ZListMedia },
);

export const POST = withApi(
  async (ctx) => {
    const { url, folder, filename, connection_id, ...fields } = ctx.body;
    let media = await createEmptyMedia(ctx.scope, { ...fields, createdBy: ctx.auth.keyId });
    if (url) {
      await createFileFromUrl(ctx.scope, { url, folder, filename, connection_id, media_id: media.id, ref: "original" }, { createdBy: ctx.auth.keyId, signal: ctx.request.signal });
      media = await getMediaOrThrow(ctx.scope, media.id);
    }
    return ctx.object(renderMedia(ctx.profile, media, ctx.info.url.origin), { status: 201, collection: "/api/media" });
  },
  { body: ZCreateMedia },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
