"use server";
// Project switching and creation from the project switcher; signing out from the user menu.
import { AppError } from "@/lib/api/errors";
import { clearProjectCookie, getSessionUser, projectScopeFor, setProjectCookie, signOut } from "@/lib/auth/session";
import { actionFailure, type ActionResult } from "@/lib/dashboard/action-result";
import { createProject } from "@/lib/projects/projects";
import { ZCreateProject } from "@/lib/projects/schemas";
import { listUserProjects } from "@/lib/users/users";

export async function switchProjectAction(projectId: string): Promise<ActionResult> {
  try {
    const { project } = await projectScopeFor(projectId);
    await setProjectCookie(project.id);
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function createProjectAction(input: { name: string; orgId: string }): Promise<ActionResult<{ projectId: string }>> {
  try {
    const user = await getSessionUser();
    if (!user) throw new AppError("token_missing", "Your session has ended. Sign in again.");
    const isMember = (await listUserProjects(user.id)).some((p) => p.orgId === input.orgId);
    if (!isMember) throw new AppError("not_found", "You are not a member of this organisation.", [{ field: "orgId", message: "choose one of your organisations" }]);
    const project = await createProject({ orgId: input.orgId }, ZCreateProject.parse({ name: input.name }));
    await setProjectCookie(project.id);
    return { ok: true, projectId: project.id };
  } catch (error) {
    return actionFailure(error, { conflictField: "name" });
  }
}

export async function signOutAction(): Promise<void> {
  await clearProjectCookie();
  await signOut({ redirectTo: "/login" });
}
