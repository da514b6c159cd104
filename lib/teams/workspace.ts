// What the dashboard shell shows a signed-in person: their organisations (also those without a project), the
// current one and its project. Read per request, so a removed member loses access on their next navigation.
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { PROJECT_COOKIE, requireUser, setProjectCookie, type SessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { ORG_COOKIE, pickProject } from "@/lib/teams/current-org";
import { listUserOrgs, type WorkspaceOrg } from "@/lib/teams/members";
import type { UserProject } from "@/lib/users/users";

export type { WorkspaceOrg };

export type Workspace = {
  user: SessionUser;
  orgs: WorkspaceOrg[];
  /** null when the person belongs to no organisation, or the one they chose is no longer theirs. */
  org: WorkspaceOrg | null;
  /** null when there is no project to show (see pickProject). */
  project: UserProject | null;
};

export const currentWorkspace = cache(async (): Promise<Workspace> => {
  const user = await requireUser();
  const orgs = await listUserOrgs(user.id);
  const jar = await cookies();
  const wanted = { projectId: jar.get(PROJECT_COOKIE)?.value, orgId: jar.get(ORG_COOKIE)?.value };
  const project = pickProject(orgs.flatMap((o) => o.projects), wanted);
  if (project) return { user, orgs, org: orgs.find((o) => o.id === project.orgId) ?? null, project };
  // An organisation cookie naming one they no longer belong to leaves `org` null (see toWorkspaceGap).
  const chosen = wanted.orgId ? orgs.find((o) => o.id === wanted.orgId) : orgs[0];
  return { user, orgs, org: chosen ?? null, project: null };
});

// As setProjectCookie's: Secure behind HTTPS.
async function cookieOptions() {
  const secure = (await headers()).get("x-forwarded-proto") === "https" || env().MEDIABIT_PUBLIC_URL?.startsWith("https:") === true;
  return { httpOnly: true, sameSite: "lax" as const, secure, path: "/", maxAge: 365 * 24 * 60 * 60 };
}

/** Looks at an organisation that has no project: the overview then offers to create one. */
export async function showOrganization(orgId: string): Promise<void> {
  const jar = await cookies();
  jar.set(ORG_COOKIE, orgId, await cookieOptions());
  jar.delete(PROJECT_COOKIE);
}

/** Looks at a project; the organisation cookie would only confuse a later fallback. */
export async function showProject(projectId: string): Promise<void> {
  await setProjectCookie(projectId);
  (await cookies()).delete(ORG_COOKIE);
}
