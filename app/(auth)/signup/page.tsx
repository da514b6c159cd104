import type { Metadata } from "next";
import Link from "next/link";
import { SignupForm } from "@/components/auth/signup-form";

export const metadata: Metadata = { title: "Create account" };

export default function SignupPage() {
  return (
    <>
      <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm">
        <h1 className="text-base font-semibold text-zinc-900">Create your account</h1>
        <p className="mt-1 text-[13px] text-zinc-500">
          Your account comes with an organisation and a project to start in; you can add more projects from the dashboard.
        </p>
        <SignupForm />
      </div>
      <p className="mt-5 text-center text-[13px] text-zinc-500">
        Already have an account?{" "}
        <Link href="/login" className="font-medium text-indigo-600 hover:text-indigo-700">
          Sign in
        </Link>
      </p>
    </>
  );
}
