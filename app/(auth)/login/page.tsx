import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { afterSignInPath } from "@/lib/auth/callback-path";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { listUserProjects } from "@/lib/users/users";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  "no-project": "Your account is not a member of any project any more. Sign in with another account, or ask an owner to add you.",
  "password-changed": "Your password was changed and every session signed out. Sign in with your new password.",
  CredentialsSignin: "Wrong email or password.",
  rate_limited: "Too many sign-in attempts from your network. Wait a few minutes, then try again.",
};

type LoginSearch = { error?: string; code?: string; notice?: string; callbackUrl?: string; next?: string };

export default async function LoginPage({ searchParams }: { searchParams: Promise<LoginSearch> }) {
  const { error, code, notice: noticeKey, callbackUrl, next } = await searchParams;
  const target = afterSignInPath(callbackUrl, next);
  const user = await getSessionUser();
  // Already signed in with somewhere to go: skip the form.
  if (user && (await listUserProjects(user.id)).length > 0) redirect(target);
  const key = (code && NOTICES[code] ? code : undefined) ?? error ?? noticeKey;
  const notice = key ? (NOTICES[key] ?? "Sign-in failed. Try again.") : undefined;
  const policy = env().MEDIABIT_SIGNUP;
  return (
    <>
      <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm">
        <h1 className="text-base font-semibold text-zinc-900">Sign in</h1>
        <p className="mt-1 text-[13px] text-zinc-500">Welcome back. Sign in to manage your projects, keys and storage.</p>
        <LoginForm notice={notice} isNoticeInfo={key === "password-changed"} callbackUrl={target} />
      </div>
      <p className="mt-5 text-center text-[13px] text-zinc-500" data-testid="signup-hint">
        {policy === "open" ? (
          <>
            New here?{" "}
            <Link href="/signup" className="font-medium text-indigo-600 hover:text-indigo-700">
              Create an account
            </Link>
          </>
        ) : policy === "invite" ? (
          "New here? Accounts are made from an invitation link: ask an owner of your organisation to invite you."
        ) : (
          "New accounts are not being created on this server. Ask an owner of your organisation for access."
        )}
      </p>
    </>
  );
}
