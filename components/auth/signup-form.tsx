"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { signUpAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";

const FIELDS = ["name", "email", "password"] as const;

export function SignupForm() {
  const router = useRouter();
  const signUp = useAction(signUpAction, {
    onOk: () => {
      router.replace("/dashboard");
      router.refresh();
    },
  });
  const fieldErrors = signUp.failure?.fieldErrors ?? {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signUp.run({
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? "").trim(),
      password: String(form.get("password") ?? ""),
    });
  }

  return (
    <form onSubmit={onSubmit} className="mt-5 space-y-4" noValidate>
      <FormError message={signUp.formError(FIELDS)} />
      <Field label="Name" labelNote="optional" name="name" autoComplete="name" autoFocus maxLength={100} error={fieldErrors.name} />
      <Field label="Email" name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
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
        Create account
      </Button>
    </form>
  );
}
