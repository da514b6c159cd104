"use server";
// Project switching and creation from the project switcher; signing out from the user menu.
import { z } from "zod";
import { clearProjectCookie, endSession, projectScopeFor } from "@/lib/auth/session";
import { userAction } from "@/lib/dashboard/action";
import { createProjectAsMember } from "@/lib/projects/manage";
import { ZCreateProject } from "@/lib/projects/schemas";
import { showProject } from "@/lib/teams/workspace";

// The switcher passes the bare project id.
export const switchProjectAction = userAction(z.string().max(100), async (_context, projectId) => {
  const { project } = await projectScopeFor(projectId);
  await showProject(project.id);
  return { ok: true };
});

// Friendly messages here; ZCreateProject (the API's schema) still decides what a project may be called.
const ZCreateProjectInput = z.object({ name: z.string().trim().min(1, "name the project, e.g. after the app or environment").max(100, "use at most 100 characters"), orgId: z.string().max(100) });

export const createProjectAction = userAction(
  ZCreateProjectInput,
  async ({ user }, input) => {
    // Membership is checked against organisations, so one whose last project was deleted can get a new one.
    const project = await createProjectAsMember({ orgId: input.orgId, userId: user.id }, ZCreateProject.parse({ name: input.name }));
    await showProject(project.id);
    return { ok: true, projectId: project.id };
  },
  { conflictField: "name" },
);

export async function signOutAction(): Promise<void> {
  await clearProjectCookie();
  await endSession({ redirectTo: "/login" });
}
