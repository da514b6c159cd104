// Which project a dashboard request shows, from the person's projects and two cookies. One rule, shared by
// currentProject() (every project page) and the workspace (layout, team and settings pages), so they never disagree.

/** Set when the person looks at an organisation that has no project (after deleting its last one, or on choosing it). */
export const ORG_COOKIE = "mb_org";

type ProjectLike = { id: string; orgId: string };

/**
 * The project named by `mb_project` when it is still one of theirs; else the first of the organisation named by
 * `mb_org`; else their first project. `undefined` means there is none to show: no organisation, or the chosen
 * organisation has no project (the overview then explains and offers to create one).
 */
export function pickProject<T extends ProjectLike>(projects: readonly T[], cookies: { projectId?: string; orgId?: string }): T | undefined {
  const wanted = projects.find((p) => p.id === cookies.projectId);
  if (wanted) return wanted;
  if (cookies.orgId) return projects.find((p) => p.orgId === cookies.orgId);
  return projects[0];
}
