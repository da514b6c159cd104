"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { signInAction } from "@/lib/dashboard/actions/auth";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";

const FIELDS = ["email", "password"] as const;

function Notice({ message }: { message: string }) {
  return (
    <div role="status" className="rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-[13px] text-indigo-800" data-form-notice>
      {message}
    </div>
  );
}

export function LoginForm({ notice, isNoticeInfo = false, callbackUrl }: { notice?: string; isNoticeInfo?: boolean; callbackUrl: string }) {
  const router = useRouter();
  const signIn = useAction(signInAction, {
    onOk: (result) => {
      router.replace(result.redirectTo);
      router.refresh();
    },
  });
  const fieldErrors = signIn.failure?.fieldErrors ?? {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signIn.run({ email: String(form.get("email") ?? "").trim(), password: String(form.get("password") ?? ""), callbackUrl });
  }

  const showNotice = !signIn.failure && notice;
  return (
    <form onSubmit={onSubmit} className="mt-5 space-y-4" noValidate>
      {showNotice && isNoticeInfo ? <Notice message={notice} /> : <FormError message={signIn.failure ? signIn.formError(FIELDS) : notice} />}
      <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus error={fieldErrors.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required error={fieldErrors.password} />
      <Button type="submit" variant="primary" className="w-full" isLoading={signIn.isPending || signIn.isDone}>
        Sign in
      </Button>
    </form>
  );
}
