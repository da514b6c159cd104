"use server";
// Accepting an invitation as the signed-in person, or signing out to accept it as someone else.
import { AppError } from "@/lib/api/errors";
import { clearProjectCookie, endSession } from "@/lib/auth/session";
import { userAction } from "@/lib/dashboard/action";
import { acceptInvitation, isInvitationTokenFormat } from "@/lib/teams/invitations";
import { listUserOrgs } from "@/lib/teams/members";
import { ZAcceptInvitation } from "@/lib/teams/schemas";
import { showOrganization, showProject } from "@/lib/teams/workspace";

/** Joins, then shows the new organisation's first project (or its empty state); the page then opens /dashboard. */
export const acceptInvitationAction = userAction(ZAcceptInvitation, async ({ user }, input) => {
  const { orgId } = await acceptInvitation({ token: input.token, userId: user.id });
  const org = (await listUserOrgs(user.id)).find((o) => o.id === orgId);
  const first = org?.projects[0];
  if (first) await showProject(first.id);
  else await showOrganization(orgId);
  return { ok: true, orgName: org?.name ?? "" };
});

/** Signed in as someone else: sign out and come back to the same invitation. */
export async function signOutForInvitationAction(token: string): Promise<void> {
  if (!isInvitationTokenFormat(token)) throw new AppError("invitation_invalid", "This invitation link is not valid.");
  await clearProjectCookie();
  await endSession({ redirectTo: `/invite/${token}` });
}
