// POST /api/runs/{id}/cancel — stop a run: running tasks are killed, waiting ones never start
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { presentRun } from "@/lib/runs/render";
import { cancelRun } from "@/lib/runs/runs";

export const POST = withApi(async (ctx) =>
  ctx.object(await presentRun(ctx.profile, await cancelRun(ctx.scope, ctx.id), ctx.info.url.origin), { collection: "/api/runs" }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
