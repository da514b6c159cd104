// GET /api/projects — the organisation's projects · POST /api/projects — create one (admin keys)
import { ZListQuery, pageModeFor } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { createProject, listProjects } from "@/lib/projects/projects";
import { renderProject } from "@/lib/projects/render";
import { ZCreateProject } from "@/lib/projects/schemas";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listProjects(ctx.scope, ctx.query, pageModeFor(ctx.profile));
    return ctx.list(items.map((p) => renderProject(ctx.profile, p)), page);
  },
  { query: ZListQuery, admin: true },
);

export const POST = withApi(
  async (ctx) => ctx.object(renderProject(ctx.profile, await createProject(ctx.scope, ctx.body)), { status: 201, collection: "/api/projects" }),
  { body: ZCreateProject, admin: true },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
