// POST /api/tasks/{id}/cancel — stop a task (a running ffmpeg is killed)
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { presentTask } from "@/lib/tasks/render";
import { cancelTask } from "@/lib/tasks/tasks";

export const POST = withApi(async (ctx) =>
  ctx.object(await presentTask(ctx.profile, await cancelTask(ctx.scope, ctx.id), ctx.info.url.origin), { collection: "/api/tasks" }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
