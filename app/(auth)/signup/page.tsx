import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignupForm } from "@/components/auth/signup-form";
import { env } from "@/lib/env";
import { findPendingInvitation } from "@/lib/teams/invitations";

export const metadata: Metadata = { title: "Create account" };

function SignInLink({ children = "Sign in" }: { children?: ReactNode }) {
  return (
    <Link href="/login" className="font-medium text-indigo-600 hover:text-indigo-700">
      {children}
    </Link>
  );
}

/** The policy explained in place of a form that could only fail. */
function Explanation({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm" data-testid="signup-policy">
        <h1 className="text-base font-semibold text-zinc-900">{title}</h1>
        <div className="mt-2 space-y-2 text-[13px] leading-5 text-zinc-600">{children}</div>
      </div>
      <p className="mt-5 text-center text-[13px] text-zinc-500">
        Already have an account? <SignInLink />
      </p>
    </>
  );
}

export default async function SignupPage({ searchParams }: { searchParams: Promise<{ invitation?: string | string[] }> }) {
  const { invitation: raw } = await searchParams;
  const token = typeof raw === "string" ? raw.trim() : undefined;
  const policy = env().MEDIABIT_SIGNUP;

  if (policy === "closed") {
    return (
      <Explanation title="Sign-up is closed">
        <p>This server does not create new accounts.</p>
        <p>If you were invited and already have an account, sign in and open the invitation link again. Otherwise, ask an owner of your organisation for access.</p>
      </Explanation>
    );
  }

  const invitation = token ? await findPendingInvitation(token) : null;
  if (token && !invitation) {
    return (
      <Explanation title="This invitation can no longer be used">
        <p>The link was already used, was revoked, or has expired. Ask the person who invited you for a new one.</p>
        {policy === "open" ? (
          <p>
            You can also{" "}
            <Link href="/signup" className="font-medium text-indigo-600 hover:text-indigo-700">
              create an account
            </Link>{" "}
            with an organisation of your own.
          </p>
        ) : null}
      </Explanation>
    );
  }

  if (!invitation && policy === "invite") {
    return (
      <Explanation title="Sign-up is by invitation">
        <p>Accounts on this server are created from an invitation link. Ask an owner of the organisation you want to join to invite your e-mail address.</p>
        <p>The link they send opens this page with your address filled in.</p>
      </Explanation>
    );
  }

  return (
    <>
      <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm">
        <h1 className="text-base font-semibold text-zinc-900">{invitation ? `Join ${invitation.orgName}` : "Create your account"}</h1>
        <p className="mt-1 text-[13px] text-zinc-500">
          {invitation
            ? `You were invited to ${invitation.orgName} as ${invitation.role === "owner" ? "an owner" : "a member"}. Choose a password to create your account.`
            : "Your account comes with an organisation and a project to start in; you can add more projects from the dashboard."}
        </p>
        <SignupForm invitation={invitation ? { token: token ?? "", email: invitation.email } : undefined} />
      </div>
      <p className="mt-5 text-center text-[13px] text-zinc-500">
        Already have an account? <SignInLink />
      </p>
    </>
  );
}
