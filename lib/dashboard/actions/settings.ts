"use server";
// Project and organisation settings: session (and project membership) first, then input, then one service.
import { projectAction, userAction } from "@/lib/dashboard/action";
import { deleteProjectAsOwner, renameProject } from "@/lib/projects/manage";
import { ZDeleteProjectInput, ZRenameProjectInput } from "@/lib/projects/schemas";
import { renameOrganization } from "@/lib/teams/members";
import { ZRenameOrganization } from "@/lib/teams/schemas";
import { showOrganization, showProject } from "@/lib/teams/workspace";

export const renameProjectAction = projectAction(ZRenameProjectInput, async ({ user }, input) => {
  const project = await renameProject({ userId: user.id, projectId: input.projectId }, { name: input.name });
  return { ok: true, name: project.name };
});

/** Afterwards the dashboard shows the organisation's oldest remaining project, or its empty state. */
export const deleteProjectAction = projectAction(ZDeleteProjectInput, async ({ user }, input) => {
  const { project, remaining } = await deleteProjectAsOwner({ userId: user.id, projectId: input.projectId }, { confirmName: input.confirmName });
  const next = remaining[0];
  if (next) await showProject(next.id);
  else await showOrganization(project.orgId);
  return { ok: true, remaining: remaining.length };
});

export const renameOrganizationAction = userAction(ZRenameOrganization, async ({ user }, input) => {
  const org = await renameOrganization({ orgId: input.orgId, userId: user.id }, { name: input.name });
  return { ok: true, name: org.name };
});
