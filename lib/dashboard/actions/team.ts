"use server";
// Team management from /dashboard/team: session first (userAction), then input, then one lib/teams service,
// which checks the caller's role itself.
import { userAction } from "@/lib/dashboard/action";
import { inviteMember, revokeInvitation } from "@/lib/teams/invitations";
import type { MailOutcome } from "@/lib/teams/mail";
import { changeMemberRole, getOrganization, leaveOrganization, removeMember } from "@/lib/teams/members";
import { ZChangeMemberRole, ZInviteMember, ZLeaveOrganization, ZRemoveMember, ZRevokeInvitation, ZShowOrganization } from "@/lib/teams/schemas";
import type { PendingInvitationView } from "@/lib/teams/views";
import { showOrganization } from "@/lib/teams/workspace";

export const inviteMemberAction = userAction(
  ZInviteMember,
  async ({ user }, input): Promise<{ ok: true; invitation: PendingInvitationView; invitePath: string; mail: MailOutcome }> => {
    const { invitation, token, mail } = await inviteMember({ orgId: input.orgId, userId: user.id }, input);
    return {
      ok: true,
      invitation: {
        id: invitation.id,
        email: invitation.email,
        role: invitation.role,
        invitedBy: user.email,
        createdAt: invitation.createdAt.toISOString(),
        expiresAt: invitation.expiresAt.toISOString(),
      },
      // The page adds its own origin for the copyable link; only an e-mail needs MEDIABIT_PUBLIC_URL.
      invitePath: `/invite/${token}`,
      mail,
    };
  },
  { conflictField: "email" },
);

export const revokeInvitationAction = userAction(ZRevokeInvitation, async ({ user }, input) => {
  await revokeInvitation({ orgId: input.orgId, userId: user.id }, input.invitationId);
  return { ok: true };
});

export const changeMemberRoleAction = userAction(ZChangeMemberRole, async ({ user }, input) => {
  const role = await changeMemberRole({ orgId: input.orgId, userId: user.id }, { userId: input.userId, role: input.role });
  return { ok: true, role };
});

export const removeMemberAction = userAction(ZRemoveMember, async ({ user }, input) => {
  await removeMember({ orgId: input.orgId, userId: user.id }, { userId: input.userId });
  return { ok: true };
});

export const leaveOrganizationAction = userAction(ZLeaveOrganization, async ({ user }, input) => {
  await leaveOrganization({ orgId: input.orgId, userId: user.id });
  return { ok: true };
});

/** From the project switcher: look at an organisation that has no project yet. */
export const showOrganizationAction = userAction(ZShowOrganization, async ({ user }, input) => {
  const org = await getOrganization({ orgId: input.orgId, userId: user.id });
  await showOrganization(org.id);
  return { ok: true };
});
