// GET /api/runs — list runs · POST /api/runs — start a task tree (siblings in parallel, `next` after the parent)
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { renderRun } from "@/lib/runs/render";
import { ZCreateRun, ZListRuns, createRun, listRuns } from "@/lib/runs/runs";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listRuns(ctx.scope, ctx.query, ctx.profile);
    return ctx.list(await Promise.all(items.map((run) => renderRun(ctx.profile, run, ctx.info.url.origin, "summary"))), page);
  },
  { query: ZListRuns },
);

export const POST = withApi(
  async (ctx) => {
    const run = await createRun(ctx.scope, ctx.body, { createdBy: ctx.auth.keyId });
    return ctx.object(await renderRun(ctx.profile, run, ctx.info.url.origin, "full"), { status: 201, collection: "/api/runs" });
  },
  { body: ZCreateRun },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
