// Dashboard rules for a project's life: any member renames it, only an owner deletes it, and deleting it
// names what goes with it. The caller is a person (not an API key), checked against their membership here.
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { MemberRole, Project } from "@/lib/db/generated/client";
import { forgetCachedKeys } from "@/lib/keys/key-cache";
import { createProject } from "@/lib/projects/projects";
import type { TCreateProject } from "@/lib/projects/schemas";
import { assertProjectNameFree } from "@/lib/projects/unique-name";
import { projectKeyPrefix } from "@/lib/storage/object-key";
import { getStore } from "@/lib/storage/store";
import { assertOwner } from "@/lib/teams/members";

/** A signed-in person acting on one project. */
export type MemberProjectScope = { userId: string; projectId: string };

export type ProjectContents = { media: number; files: number; tasks: number; apiKeys: number; connections: number };

const notFound = () => new AppError("project_not_found", "This project does not exist or you are no longer a member of its organisation. Reload the page.");

export async function getMemberProject(scope: MemberProjectScope): Promise<{ project: Project; role: MemberRole }> {
  const prisma = await db();
  const project = await prisma.project.findUnique({ where: { id: scope.projectId } });
  if (!project) throw notFound();
  const membership = await prisma.membership.findUnique({ where: { orgId_userId: { orgId: project.orgId, userId: scope.userId } }, select: { role: true } });
  if (!membership) throw notFound();
  return { project, role: membership.role };
}

export async function renameProject(scope: MemberProjectScope, input: { name: string }): Promise<Project> {
  const { project } = await getMemberProject(scope);
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    await assertProjectNameFree(tx, { orgId: project.orgId, name: input.name, exceptProjectId: project.id });
    return tx.project.update({ where: { id: project.id }, data: { name: input.name } });
  });
}

/** What deleting the project takes with it, for the confirmation; soft-deleted media no longer count. */
export async function countProjectContents(scope: MemberProjectScope): Promise<ProjectContents> {
  const { project } = await getMemberProject(scope);
  const prisma = await db();
  const where = { projectId: project.id };
  const [media, files, tasks, apiKeys, connections] = await Promise.all([
    prisma.media.count({ where: { ...where, deletedAt: null } }),
    prisma.file.count({ where }),
    prisma.task.count({ where }),
    prisma.apiKey.count({ where: { ...where, status: { not: "revoked" } } }),
    prisma.connection.count({ where }),
  ]);
  return { media, files, tasks, apiKeys, connections };
}

/**
 * Owners only, and only with the project's name typed back. Rows go in one cascading delete; the stored
 * bytes after it (a failure there leaves unreachable objects, never a half-deleted project).
 * Returns the organisation's remaining projects, oldest first.
 */
export async function deleteProjectAsOwner(scope: MemberProjectScope, input: { confirmName: string }): Promise<{ project: Project; remaining: Project[] }> {
  const prisma = await db();
  const { project, remaining } = await prisma.$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { id: scope.projectId } });
    if (!project) throw notFound();
    await assertOwner(tx, { orgId: project.orgId, userId: scope.userId }, "delete projects");
    if (input.confirmName.trim() !== project.name) {
      throw new AppError("invalid_input", "The name you typed does not match the project's name.", [{ field: "confirmName", message: `type ${project.name} to confirm` }]);
    }
    await tx.project.delete({ where: { id: project.id } });
    const remaining = await tx.project.findMany({ where: { orgId: project.orgId }, orderBy: { createdAt: "asc" } });
    return { project, remaining };
  });
  // Its keys went with it: this process stops believing them now, not when they expire from the cache.
  forgetCachedKeys();
  try {
    await getStore().deletePrefix(projectKeyPrefix(project.id));
  } catch (error) {
    console.error(`[projects] project ${project.id} deleted, but its stored objects were not`, error);
  }
  return { project, remaining };
}

/** Every member may create projects in their organisation, also in one that has none yet. */
export async function createProjectAsMember(scope: { orgId: string; userId: string }, input: TCreateProject): Promise<Project> {
  const prisma = await db();
  const membership = await prisma.membership.findUnique({ where: { orgId_userId: { orgId: scope.orgId, userId: scope.userId } }, select: { role: true } });
  if (!membership) throw new AppError("not_found", "You are not a member of this organisation.", [{ field: "orgId", message: "choose one of your organisations" }]);
  return createProject({ orgId: scope.orgId }, input);
}
