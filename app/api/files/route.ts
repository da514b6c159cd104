// GET /api/files — list files · POST /api/files — ingest a URL and return the stored, probed file
import { pageModeFor } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { createFileFromUrl } from "@/lib/files/create";
import { listFiles } from "@/lib/files/files";
import { renderFile } from "@/lib/files/render";
import { ZCreateFile, ZListFiles } from "@/lib/files/schemas";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listFiles(ctx.scope, ctx.query, pageModeFor(ctx.profile));
    return ctx.list(items.map((f) => renderFile(ctx.profile, f, { origin: ctx.info.url.origin, alias: f.project.alias })), page);
  },
  { query: ZListFiles },
);

export const POST = withApi(
  async (ctx) => {
    const { file, settled } = await createFileFromUrl(ctx.scope, ctx.body, { createdBy: ctx.auth.keyId, signal: ctx.request.signal });
    const rendered = renderFile(ctx.profile, file, { origin: ctx.info.url.origin, alias: file.project.alias });
    return ctx.object(rendered, { status: settled ? 201 : 202, collection: "/api/files" });
  },
  { body: ZCreateFile },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
