// GET/PATCH/DELETE /api/projects/{id} — one project of the organisation (admin keys)
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { deleteProject, getProjectOrThrow, updateProject } from "@/lib/projects/projects";
import { renderProject } from "@/lib/projects/render";
import { ZUpdateProject } from "@/lib/projects/schemas";

const collection = "/api/projects";

export const GET = withApi(
  async (ctx) => ctx.object(renderProject(ctx.profile, await getProjectOrThrow(ctx.scope, ctx.id)), { collection }),
  { admin: true },
);

export const PATCH = withApi(
  async (ctx) => ctx.object(renderProject(ctx.profile, await updateProject(ctx.scope, ctx.id, ctx.body)), { collection }),
  { body: ZUpdateProject, admin: true },
);

export const DELETE = withApi(
  async (ctx) => {
    const project = await deleteProject({ ...ctx.scope, callerProjectId: ctx.auth.projectId }, ctx.id);
    return ctx.message(`${project.id} deleted`);
  },
  { admin: true },
);

export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
