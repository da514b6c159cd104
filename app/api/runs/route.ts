// GET /api/runs — list runs · POST /api/runs — start a task tree (siblings in parallel, `next` after the parent)
import { pageModeFor } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { presentRun, renderRun } from "@/lib/runs/render";
import { ZCreateRun, ZListRuns, createRun, listRuns } from "@/lib/runs/runs";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listRuns(ctx.scope, ctx.query, pageModeFor(ctx.profile));
    return ctx.list(items.map((run) => renderRun(ctx.profile, run, "summary")), page);
  },
  { query: ZListRuns },
);

export const POST = withApi(
  async (ctx) => {
    const run = await createRun(ctx.scope, ctx.body, { createdBy: ctx.auth.keyId });
    return ctx.object(await presentRun(ctx.profile, run, ctx.info.url.origin), { status: 201, collection: "/api/runs" });
  },
  { body: ZCreateRun },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
