import type { Metadata } from "next";
import { InvitationsTable } from "@/components/team/invitations-table";
import { InviteDialog } from "@/components/team/invite-dialog";
import { MembersTable } from "@/components/team/members-table";
import { ROLE_HINTS } from "@/components/team/role-select";
import { WorkspaceEmptyState } from "@/components/team/workspace-empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listPendingInvitations } from "@/lib/teams/invitations";
import { listMembers } from "@/lib/teams/members";
import { toMemberView, toPendingInvitationView, toWorkspaceGap } from "@/lib/teams/views";
import { currentWorkspace } from "@/lib/teams/workspace";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  const workspace = await currentWorkspace();
  const { user, org } = workspace;
  if (!org) {
    const gap = toWorkspaceGap(workspace);
    return gap ? <WorkspaceEmptyState gap={gap} /> : null;
  }
  const scope = { orgId: org.id, userId: user.id };
  const isOwner = org.role === "owner";
  const [members, invitations] = await Promise.all([listMembers(scope), isOwner ? listPendingInvitations(scope) : Promise.resolve([])]);

  return (
    <>
      <PageHeader
        title="Team"
        description={
          <>
            People in <span className="font-medium text-zinc-700">{org.name}</span> and what they may do. Every member sees all of its projects.
          </>
        }
        actions={isOwner ? <InviteDialog orgId={org.id} orgName={org.name} /> : undefined}
      />

      <dl className="mb-6 grid gap-3 text-[13px] sm:grid-cols-2">
        <div className="rounded-lg border border-zinc-200 bg-white px-4 py-3">
          <dt className="font-medium text-zinc-900">Members</dt>
          <dd className="mt-0.5 text-zinc-500">{ROLE_HINTS.member}</dd>
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white px-4 py-3">
          <dt className="font-medium text-zinc-900">Owners</dt>
          <dd className="mt-0.5 text-zinc-500">{ROLE_HINTS.owner} An organisation always keeps at least one owner.</dd>
        </div>
      </dl>

      <h2 className="mb-3 text-sm font-semibold text-zinc-900">
        Members <span className="font-normal text-zinc-500">{members.length}</span>
      </h2>
      <MembersTable orgId={org.id} orgName={org.name} members={members.map((m) => toMemberView(m, user.id))} isOwner={isOwner} />
      {isOwner ? null : <p className="mt-3 text-[13px] text-zinc-500">Only owners invite people, change roles and remove members.</p>}

      {isOwner ? (
        <section className="mt-10" aria-labelledby="pending-invitations">
          <h2 id="pending-invitations" className="mb-1 text-sm font-semibold text-zinc-900">
            Pending invitations <span className="font-normal text-zinc-500">{invitations.length}</span>
          </h2>
          <p className="mb-3 text-[13px] text-zinc-500">Links not used yet. Each works once, for its address only, and expires 7 days after it was made.</p>
          {invitations.length === 0 ? (
            <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-5 py-6 text-center text-[13px] text-zinc-500">
              No invitations are waiting. Use <span className="font-medium text-zinc-700">Invite people</span> to add someone by e-mail address.
            </div>
          ) : (
            <InvitationsTable orgId={org.id} invitations={invitations.map(toPendingInvitationView)} />
          )}
        </section>
      ) : null}
    </>
  );
}
