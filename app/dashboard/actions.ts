"use server";
// Project switching and creation from the project switcher; signing out from the user menu.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { clearProjectCookie, endSession, projectScopeFor, setProjectCookie } from "@/lib/auth/session";
import { userAction } from "@/lib/dashboard/action";
import { createProject } from "@/lib/projects/projects";
import { ZCreateProject } from "@/lib/projects/schemas";
import { listUserProjects } from "@/lib/users/users";

// The switcher passes the bare project id.
export const switchProjectAction = userAction(z.string().max(100), async (_context, projectId) => {
  const { project } = await projectScopeFor(projectId);
  await setProjectCookie(project.id);
  return { ok: true };
});

const ZCreateProjectInput = z.object({ name: z.string(), orgId: z.string() });

export const createProjectAction = userAction(
  ZCreateProjectInput,
  async ({ user }, input) => {
    const isMember = (await listUserProjects(user.id)).some((p) => p.orgId === input.orgId);
    if (!isMember) throw new AppError("not_found", "You are not a member of this organisation.", [{ field: "orgId", message: "choose one of your organisations" }]);
    const project = await createProject({ orgId: input.orgId }, ZCreateProject.parse({ name: input.name }));
    await setProjectCookie(project.id);
    return { ok: true, projectId: project.id };
  },
  { conflictField: "name" },
);

export async function signOutAction(): Promise<void> {
  await clearProjectCookie();
  await endSession({ redirectTo: "/login" });
}
