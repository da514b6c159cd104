// Projects belong to an organisation; API keys, connections and media belong to a project.
import { AppError, notFound } from "@/lib/api/errors";
import { paginate, type TListQuery, type PageMode } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import { Prisma, type Project } from "@/lib/db/generated/client";
import { canonicalId, newId, randomToken } from "@/lib/ids";
import { forgetCachedKeys } from "@/lib/keys/key-cache";
import type { TCreateProject, TUpdateProject } from "@/lib/projects/schemas";
import { assertProjectNameFree } from "@/lib/projects/unique-name";

export type OrgScope = { orgId: string };

function aliasFromName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 30);
  return slug || "project";
}

/** Aliases are globally unique (they name the delivery host); a taken one gets a random suffix. */
export async function createProject(scope: OrgScope, input: TCreateProject): Promise<Project> {
  const prisma = await db();
  const base = input.alias ?? aliasFromName(input.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const alias = attempt === 0 ? base : `${base.slice(0, 33)}-${randomToken(6).toLowerCase()}`;
    try {
      return await prisma.$transaction(async (tx) => {
        await assertProjectNameFree(tx, { orgId: scope.orgId, name: input.name });
        return tx.project.create({
          data: {
            id: newId("prj"),
            orgId: scope.orgId,
            name: input.name,
            description: input.description ?? null,
            alias,
            ...(input.api_version ? { apiVersion: input.api_version } : {}),
          },
        });
      });
    } catch (error) {
      const taken = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
      if (!taken) throw error;
      if (input.alias) throw new AppError("conflict", `The alias '${input.alias}' is taken. Choose another.`);
    }
  }
  throw new AppError("conflict", "Could not find a free alias for this project; pass one explicitly.");
}

export async function listProjects(scope: OrgScope, query: TListQuery, mode: PageMode) {
  const prisma = await db();
  const where = { orgId: scope.orgId };
  return paginate({
    query,
    mode,
    defaultLimit: 12,
    count: () => prisma.project.count({ where }),
    fetch: ({ where: cursor, orderBy, skip, take }) => prisma.project.findMany({ where: { ...where, ...cursor }, orderBy, skip, take }),
    findCursor: (id) => prisma.project.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
}

export async function getProjectOrThrow(scope: OrgScope, id: string): Promise<Project> {
  const prisma = await db();
  const project = await prisma.project.findFirst({ where: { id: canonicalId(id), orgId: scope.orgId } });
  if (!project) throw notFound("project_not_found", "project", id);
  return project;
}

export async function updateProject(scope: OrgScope, id: string, input: TUpdateProject): Promise<Project> {
  const project = await getProjectOrThrow(scope, id);
  const prisma = await db();
  const updated = await prisma.$transaction(async (tx) => {
    if (input.name !== undefined) await assertProjectNameFree(tx, { orgId: project.orgId, name: input.name, exceptProjectId: project.id });
    return tx.project.update({
      where: { id: project.id },
      data: { name: input.name, description: input.description, apiVersion: input.api_version, deliveryAccess: input.delivery_access },
    });
  });
  // Verified keys carry their project's API version: this process asks again on the next request.
  forgetCachedKeys();
  return updated;
}

/** Deletes the project and everything in it; the caller's own project is refused to avoid lock-out. */
export async function deleteProject(scope: OrgScope & { callerProjectId?: string }, id: string): Promise<Project> {
  const project = await getProjectOrThrow(scope, id);
  if (scope.callerProjectId === project.id) {
    throw new AppError("conflict", "A key cannot delete its own project; use a key of another project, or the dashboard.");
  }
  const prisma = await db();
  await prisma.project.delete({ where: { id: project.id } });
  forgetCachedKeys();
  return project;
}
