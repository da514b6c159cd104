// POST /api/tasks/{id}/start — accepted for Ittybit's sample app; tasks start on creation, so this only reports
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { presentTask } from "@/lib/tasks/render";
import { getTaskOrThrow } from "@/lib/tasks/tasks";

export const POST = withApi(async (ctx) =>
  ctx.object(await presentTask(ctx.profile, await getTaskOrThrow(ctx.scope, ctx.id), ctx.info.url.origin), { collection: "/api/tasks" }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
