// GET /api/tasks — list tasks · POST /api/tasks — create one (every request shape of tasks.md §1)
import { pageModeFor } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { presentTask, presentTasks } from "@/lib/tasks/render";
import { ZListTasks, ZTaskRequest } from "@/lib/tasks/schemas";
import { createTask, listTasks } from "@/lib/tasks/tasks";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listTasks(ctx.scope, ctx.query, pageModeFor(ctx.profile));
    return ctx.list(await presentTasks(ctx.profile, items, ctx.info.url.origin), page);
  },
  { query: ZListTasks },
);

export const POST = withApi(
  async (ctx) => {
    const { task, files } = await createTask(ctx.scope, ctx.body, { createdBy: ctx.auth.keyId });
    const known = { files, alias: ctx.auth.projectAlias };
    return ctx.object(await presentTask(ctx.profile, task, ctx.info.url.origin, known), { status: 201, collection: "/api/tasks" });
  },
  { body: ZTaskRequest },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
