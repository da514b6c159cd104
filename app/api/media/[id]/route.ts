// GET/PATCH/DELETE /api/media/{id} — one media item with its files; DELETE removes files and bytes
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { deleteMedia, getMediaOrThrow, updateMedia } from "@/lib/media-items/media";
import { renderMedia } from "@/lib/media-items/render";
import { ZUpdateMedia } from "@/lib/media-items/schemas";

const collection = "/api/media";

export const GET = withApi(async (ctx) => ctx.object(renderMedia(ctx.profile, await getMediaOrThrow(ctx.scope, ctx.id), ctx.info.url.origin), { collection }));

export const PATCH = withApi(
  async (ctx) => ctx.object(renderMedia(ctx.profile, await updateMedia(ctx.scope, ctx.id, ctx.body), ctx.info.url.origin), { collection }),
  { body: ZUpdateMedia },
);

export const DELETE = withApi(async (ctx) => ctx.message(`${(await deleteMedia(ctx.scope, ctx.id)).id} deleted`));

export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
