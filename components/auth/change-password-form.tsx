"use client";

import { useRouter } from "next/navigation";
import { useRef, type FormEvent } from "react";
import { changePasswordAction } from "@/lib/dashboard/actions/account";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";

const FIELDS = ["currentPassword", "newPassword", "confirmPassword"] as const;

export function ChangePasswordForm() {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const change = useAction(changePasswordAction, {
    onOk: (result) => {
      if (!result.isSignedIn) {
        router.replace("/login?notice=password-changed");
        return;
      }
      formRef.current?.reset();
      router.refresh();
    },
  });
  const fieldErrors = change.failure?.fieldErrors ?? {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.run({
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword: String(form.get("newPassword") ?? ""),
      confirmPassword: String(form.get("confirmPassword") ?? ""),
    });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="mt-5 space-y-4" noValidate>
      <FormError message={change.formError(FIELDS)} />
      {change.data?.isSignedIn ? (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-[13px] text-emerald-800" data-form-notice>
          Password changed. Other sessions were signed out; this one continues.
        </div>
      ) : null}
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={fieldErrors.currentPassword} />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters."
        error={fieldErrors.newPassword}
      />
      <Field label="Repeat new password" name="confirmPassword" type="password" autoComplete="new-password" required error={fieldErrors.confirmPassword} />
      <Button type="submit" variant="primary" isLoading={change.isPending}>
        Change password
      </Button>
    </form>
  );
}
