// GET/PATCH/DELETE /api/files/{id} — one file; DELETE removes its stored bytes too
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { deleteFile, getFileOrThrow, updateFile } from "@/lib/files/files";
import { renderFile } from "@/lib/files/render";
import { ZUpdateFile } from "@/lib/files/schemas";

const collection = "/api/files";

export const GET = withApi(async (ctx) => {
  const file = await getFileOrThrow(ctx.scope, ctx.id);
  return ctx.object(renderFile(ctx.profile, file, { origin: ctx.info.url.origin, alias: file.project.alias }), { collection });
});

export const PATCH = withApi(
  async (ctx) => {
    const file = await updateFile(ctx.scope, ctx.id, ctx.body);
    return ctx.object(renderFile(ctx.profile, file, { origin: ctx.info.url.origin, alias: file.project.alias }), { collection });
  },
  { body: ZUpdateFile },
);

export const DELETE = withApi(async (ctx) => ctx.message(`${(await deleteFile(ctx.scope, ctx.id)).id} deleted`));

export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
