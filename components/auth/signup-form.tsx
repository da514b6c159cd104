"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { signUpAction } from "@/lib/dashboard/actions/auth";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";

const FIELDS = ["name", "email", "password"] as const;

/** With an invitation, the e-mail is the invited one and cannot be changed here. */
export function SignupForm({ invitation }: { invitation?: { token: string; email: string } }) {
  const router = useRouter();
  const signUp = useAction(signUpAction, {
    onOk: (result) => {
      router.replace(result.redirectTo);
      router.refresh();
    },
  });
  const fieldErrors = signUp.failure?.fieldErrors ?? {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signUp.run({
      name: String(form.get("name") ?? ""),
      email: invitation?.email ?? String(form.get("email") ?? "").trim(),
      password: String(form.get("password") ?? ""),
      invitation: invitation?.token,
    });
  }

  return (
    <form onSubmit={onSubmit} className="mt-5 space-y-4" noValidate>
      <FormError message={signUp.formError(FIELDS)} />
      <Field label="Name" labelNote="optional" name="name" autoComplete="name" autoFocus maxLength={100} error={fieldErrors.name} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={fieldErrors.email}
        {...(invitation ? { value: invitation.email, readOnly: true, hint: "The address you were invited at.", inputClassName: "bg-zinc-50 text-zinc-600" } : {})}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters."
        error={fieldErrors.password}
      />
      <Button type="submit" variant="primary" className="w-full" isLoading={signUp.isPending || signUp.isDone}>
        {invitation ? "Create account and join" : "Create account"}
      </Button>
    </form>
  );
}
