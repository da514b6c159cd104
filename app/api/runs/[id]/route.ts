// GET /api/runs/{id} — one run with all its tasks
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { presentRun } from "@/lib/runs/render";
import { getRunOrThrow } from "@/lib/runs/runs";

export const GET = withApi(async (ctx) =>
  ctx.object(await presentRun(ctx.profile, await getRunOrThrow(ctx.scope, ctx.id), ctx.info.url.origin), { collection: "/api/runs" }),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
