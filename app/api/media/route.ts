// GET /api/media — list media items · POST /api/media — an empty item (B) or one ingested from `url` (A)
import { pageModeFor } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { createEmptyMedia, createMediaFromUrl, listMedia } from "@/lib/media-items/media";
import { renderMedia } from "@/lib/media-items/render";
import { ZCreateMedia, ZListMedia } from "@/lib/media-items/schemas";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listMedia(ctx.scope, ctx.query, pageModeFor(ctx.profile));
    return ctx.list(items.map((m) => renderMedia(ctx.profile, m, ctx.info.url.origin)), page);
  },
  { query: ZListMedia },
);

export const POST = withApi(
  async (ctx) => {
    const { url, title, alt, metadata } = ctx.body;
    const media = url
      ? await createMediaFromUrl(ctx.scope, { ...ctx.body, url }, { createdBy: ctx.auth.keyId, signal: ctx.request.signal })
      : await createEmptyMedia(ctx.scope, { title, alt, metadata, createdBy: ctx.auth.keyId });
    return ctx.object(renderMedia(ctx.profile, media, ctx.info.url.origin), { status: 201, collection: "/api/media" });
  },
  { body: ZCreateMedia },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
