import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AcceptInvitationButton, SignOutForInvitationButton } from "@/components/team/invitation-actions";
import { formatDateTime } from "@/components/team/format";
import { getSessionUser } from "@/lib/auth/session";
import { describeInvitation, type InvitationDetails } from "@/lib/teams/invitations";

export const metadata: Metadata = { title: "Invitation" };

const LINK_BUTTON = "inline-flex h-9 w-full items-center justify-center rounded-md px-3.5 text-sm font-medium whitespace-nowrap";

function Panel({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm" data-testid={testId}>
      <h1 className="text-base font-semibold text-zinc-900">{title}</h1>
      <div className="mt-2 space-y-4 text-[13px] text-zinc-600">{children}</div>
    </div>
  );
}

function unusableText(invitation: InvitationDetails): { title: string; body: string } {
  const ask = invitation.inviter ? `Ask ${invitation.inviter} for a new one.` : `Ask an owner of ${invitation.orgName} for a new one.`;
  switch (invitation.status) {
    case "accepted":
      return {
        title: "This invitation was already used",
        body: `Invitation links work once, and this one has joined ${invitation.email} to ${invitation.orgName}. If that was you, sign in; otherwise ${ask.charAt(0).toLowerCase()}${ask.slice(1)}`,
      };
    case "revoked":
      return { title: "This invitation was withdrawn", body: `An owner of ${invitation.orgName} revoked it, or replaced it with a newer link. ${ask}` };
    default:
      return { title: "This invitation has expired", body: `It was valid until ${formatDateTime(invitation.expiresAt)}; invitations last 7 days. ${ask}` };
  }
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([describeInvitation(token), getSessionUser()]);

  if (!invitation) {
    return (
      <Panel title="This invitation link is not valid" testId="invitation-unusable">
        <p>Check that the whole link was copied: it ends in a long code after /invite/. If it still does not work, ask the person who invited you for a new one.</p>
      </Panel>
    );
  }
  if (invitation.status !== "pending") {
    const { title, body } = unusableText(invitation);
    return (
      <Panel title={title} testId="invitation-unusable">
        <p>{body}</p>
        <Link href={user ? "/dashboard" : "/login"} className="inline-block font-medium text-indigo-600 hover:text-indigo-700">
          {user ? "Go to the dashboard" : "Sign in"}
        </Link>
      </Panel>
    );
  }

  const path = `/invite/${token}`;
  const isInvitee = user?.email.toLowerCase() === invitation.email;
  return (
    <Panel title={`Join ${invitation.orgName}`} testId="invitation">
      <p>
        {invitation.inviter ? <span className="font-medium text-zinc-900">{invitation.inviter}</span> : "An owner"} invited{" "}
        <span className="font-medium text-zinc-900">{invitation.email}</span> to join <span className="font-medium text-zinc-900">{invitation.orgName}</span> as{" "}
        {invitation.role === "owner" ? "an owner" : "a member"}.
      </p>
      <p className="text-xs text-zinc-500">The link works once, for this address only, until {formatDateTime(invitation.expiresAt)}.</p>

      {!user ? (
        <div className="space-y-2 border-t border-zinc-100 pt-4">
          <p>New to Mediabit? Create an account with {invitation.email}. Already have one? Sign in with it.</p>
          <div className="grid gap-2 sm:grid-cols-2">
            <Link href={`/signup?invitation=${encodeURIComponent(token)}`} className={`${LINK_BUTTON} bg-zinc-900 text-white shadow-sm hover:bg-zinc-800`}>
              Create account
            </Link>
            <Link
              href={`/login?callbackUrl=${encodeURIComponent(path)}`}
              className={`${LINK_BUTTON} border border-zinc-200 bg-white text-zinc-900 shadow-xs hover:bg-zinc-50`}
            >
              Sign in
            </Link>
          </div>
        </div>
      ) : isInvitee ? (
        <div className="border-t border-zinc-100 pt-4">
          <AcceptInvitationButton token={token} orgName={invitation.orgName} />
        </div>
      ) : (
        <div className="space-y-3 border-t border-zinc-100 pt-4" data-testid="invitation-wrong-account">
          <p>
            You are signed in as <span className="font-medium text-zinc-900">{user.email}</span>, but this invitation is for{" "}
            <span className="font-medium text-zinc-900">{invitation.email}</span>. Sign out, then sign in or create an account with that address.
          </p>
          <SignOutForInvitationButton token={token} />
        </div>
      )}
    </Panel>
  );
}
