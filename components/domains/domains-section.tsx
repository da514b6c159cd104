"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { DomainItem } from "@/components/domains/domain-item";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { PlusIcon } from "@/components/ui/icons";
import { useAction } from "@/components/ui/use-action";
import { addDomainAction } from "@/lib/dashboard/actions/domains";
import type { DomainView } from "@/lib/domains/view";

type Props = { projectId: string; domains: DomainView[]; target: string; isTargetConfigured: boolean };

/** Custom delivery domains: add a hostname, create the CNAME shown, verify it, remove it. */
export function DomainsSection({ projectId, domains, target, isTargetConfigured }: Props) {
  const router = useRouter();
  const [hostname, setHostname] = useState("");
  const add = useAction(addDomainAction, {
    onOk: () => {
      setHostname("");
      router.refresh();
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add.run({ projectId, hostname });
  }

  return (
    <div className="space-y-5" data-testid="domains-section">
      <form onSubmit={onSubmit} noValidate className="space-y-3">
        <FormError message={add.formError(["hostname"])} />
        <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
          <Field
            className="min-w-0 flex-1"
            label="Hostname"
            name="hostname"
            placeholder="media.example.com"
            value={hostname}
            onChange={(event) => setHostname(event.target.value)}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            hint="A subdomain you control. After adding it, create the CNAME record shown below at your DNS provider."
            error={add.failure?.fieldErrors.hostname}
          />
          <Button type="submit" variant="primary" className="sm:mt-[26px]" isLoading={add.isPending}>
            <PlusIcon className="size-4" />
            Add domain
          </Button>
        </div>
      </form>

      {!isTargetConfigured ? (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900" data-testid="domain-target-note">
          This server has no MEDIABIT_PUBLIC_URL or MEDIABIT_DOMAIN_TARGET setting, so the CNAME value is the address you reached it at ({target}). Ask whoever runs
          Mediabit to set one, so the value stays the same.
        </p>
      ) : null}

      {domains.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-200 px-4 py-6 text-center text-[13px] text-zinc-500" data-testid="domains-empty">
          No custom domains yet. Add one to serve this project&apos;s files at addresses like https://media.example.com/videos/intro.mp4 instead of this server&apos;s /f/
          links.
        </p>
      ) : (
        <ul className="space-y-3" aria-label="Custom domains">
          {domains.map((domain) => (
            <DomainItem key={domain.id} projectId={projectId} domain={domain} target={target} />
          ))}
        </ul>
      )}
    </div>
  );
}
