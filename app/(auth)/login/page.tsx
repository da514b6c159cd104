import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { getSessionUser } from "@/lib/auth/session";
import { listUserProjects } from "@/lib/users/users";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  "no-project": "Your account is not a member of any project any more. Sign in with another account, or ask an owner to add you.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const user = await getSessionUser();
  // Already signed in with somewhere to go: skip the form.
  if (user && (await listUserProjects(user.id)).length > 0) redirect("/dashboard");
  const notice = error ? (NOTICES[error] ?? "Sign-in failed. Try again.") : undefined;
  return (
    <>
      <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm">
        <h1 className="text-base font-semibold text-zinc-900">Sign in</h1>
        <p className="mt-1 text-[13px] text-zinc-500">Welcome back. Sign in to manage your projects, keys and storage.</p>
        <LoginForm notice={notice} />
      </div>
      <p className="mt-5 text-center text-[13px] text-zinc-500">
        New here?{" "}
        <Link href="/signup" className="font-medium text-indigo-600 hover:text-indigo-700">
          Create an account
        </Link>
      </p>
    </>
  );
}
