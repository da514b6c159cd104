"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { renameOrganizationAction, renameProjectAction } from "@/lib/dashboard/actions/settings";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { CheckIcon } from "@/components/ui/icons";
import { useAction } from "@/components/ui/use-action";

type Target = { kind: "project"; projectId: string } | { kind: "organization"; orgId: string };

/** One name field with Save; used for the project and the organisation. */
export function NameForm({ target, label, name, hint }: { target: Target; label: string; name: string; hint?: string }) {
  const router = useRouter();
  const [value, setValue] = useState(name);
  const onOk = () => router.refresh();
  const renameProject = useAction(renameProjectAction, { onOk });
  const renameOrg = useAction(renameOrganizationAction, { onOk });
  const action = target.kind === "project" ? renameProject : renameOrg;
  const isUnchanged = value.trim() === name;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (target.kind === "project") renameProject.run({ projectId: target.projectId, name: value });
    else renameOrg.run({ orgId: target.orgId, name: value });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      <FormError message={action.formError(["name"])} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <Field
          label={label}
          name="name"
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            if (action.data || action.failure) action.reset();
          }}
          required
          maxLength={100}
          hint={hint}
          error={action.failure?.fieldErrors.name}
          className="min-w-0 flex-1 sm:max-w-md"
        />
        <Button type="submit" className="sm:mt-[26px]" isLoading={action.isPending} disabled={isUnchanged}>
          Save
        </Button>
      </div>
      {action.data && isUnchanged ? (
        <p className="flex items-center gap-1.5 text-[13px] text-emerald-700" role="status">
          <CheckIcon className="size-3.5" /> Saved
        </p>
      ) : null}
    </form>
  );
}
