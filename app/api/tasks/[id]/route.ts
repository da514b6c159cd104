// GET /api/tasks/{id} — one task with its status, progress, error and output
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { presentTask } from "@/lib/tasks/render";
import { getTaskOrThrow } from "@/lib/tasks/tasks";

// The project's alias came with the key: the task's files are the only rows left to read.
export const GET = withApi(async (ctx) =>
  ctx.object(await presentTask(ctx.profile, await getTaskOrThrow(ctx.scope, ctx.id), ctx.info.url.origin, { files: [], alias: ctx.auth.projectAlias }), {
    collection: "/api/tasks",
  }),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
