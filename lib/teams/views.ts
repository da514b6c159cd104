// What team and settings pages hand to client components: plain and serialisable, never a token hash.
import type { ProjectView } from "@/lib/dashboard/views";
import type { InvitationView } from "@/lib/teams/invitations";
import type { Member } from "@/lib/teams/members";
import type { Workspace, WorkspaceOrg } from "@/lib/teams/workspace";

export type Role = "owner" | "member";

export type OrgView = { id: string; name: string; role: Role; projects: ProjectView[] };

export type MemberView = { userId: string; email: string; name: string | null; role: Role; joinedAt: string; isYou: boolean };

export type PendingInvitationView = { id: string; email: string; role: Role; invitedBy: string | null; createdAt: string; expiresAt: string };

export function toOrgView(org: WorkspaceOrg): OrgView {
  return {
    id: org.id,
    name: org.name,
    role: org.role,
    projects: org.projects.map((p) => ({ id: p.id, name: p.name, orgId: p.orgId, orgName: p.orgName, role: p.role })),
  };
}

export function toMemberView(member: Member, youId: string): MemberView {
  return { userId: member.userId, email: member.email, name: member.name, role: member.role, joinedAt: member.joinedAt.toISOString(), isYou: member.userId === youId };
}

export function toPendingInvitationView(invitation: InvitationView): PendingInvitationView {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    invitedBy: invitation.invitedBy,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

/** Why the dashboard has no project to show, or null when it has one. */
export type WorkspaceGap =
  | { kind: "no-organization"; email: string }
  | { kind: "stale-organization"; orgs: OrgView[] }
  | { kind: "no-project"; org: OrgView; orgs: OrgView[] };

export function toWorkspaceGap(workspace: Workspace): WorkspaceGap | null {
  if (workspace.project) return null;
  const orgs = workspace.orgs.map(toOrgView);
  if (orgs.length === 0) return { kind: "no-organization", email: workspace.user.email };
  if (!workspace.org) return { kind: "stale-organization", orgs };
  return { kind: "no-project", org: toOrgView(workspace.org), orgs };
}
