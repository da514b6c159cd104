// GET /api/sources — A-generation view: the playable files (sources) of the project's media
import { pageModeFor } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { listFiles } from "@/lib/files/files";
import { renderFile } from "@/lib/files/render";
import { ZListFiles } from "@/lib/files/schemas";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listFiles(ctx.scope, { ...ctx.query, object: "source" }, pageModeFor(ctx.profile));
    return ctx.list(items.map((f) => renderFile(ctx.profile, f, { origin: ctx.info.url.origin, alias: f.project.alias })), page);
  },
  { query: ZListFiles },
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
