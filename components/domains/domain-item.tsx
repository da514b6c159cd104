"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { TrashIcon } from "@/components/ui/icons";
import { RelativeTime } from "@/components/ui/relative-time";
import { useAction } from "@/components/ui/use-action";
import { deleteDomainAction, verifyDomainAction } from "@/lib/dashboard/actions/domains";
import type { DomainView } from "@/lib/domains/view";

const STATUS = {
  active: { tone: "green", label: "Active" },
  pending: { tone: "amber", label: "Waiting for DNS" },
  failed: { tone: "red", label: "Not verified" },
} as const;

function RecordRow({ label, value, isCopyable = false }: { label: string; value: string; isCopyable?: boolean }) {
  return (
    <div className="grid grid-cols-[3.5rem_minmax(0,1fr)] items-center gap-2 sm:grid-cols-[4rem_minmax(0,1fr)]">
      <dt className="text-zinc-500">{label}</dt>
      <dd className="flex min-w-0 items-center gap-1">
        <code className="min-w-0 font-mono break-all text-zinc-900">{value}</code>
        {isCopyable ? <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} /> : null}
      </dd>
    </div>
  );
}

/** One domain: its state, the CNAME to create, the last check's outcome in words, Verify and Remove. */
export function DomainItem({ projectId, domain, target }: { projectId: string; domain: DomainView; target: string }) {
  const router = useRouter();
  const [isConfirming, setIsConfirming] = useState(false);
  const verify = useAction(verifyDomainAction, { onOk: () => router.refresh() });
  const remove = useAction(deleteDomainAction, {
    onOk: () => {
      setIsConfirming(false);
      router.refresh();
    },
  });
  const status = STATUS[domain.status];

  return (
    <li className="rounded-lg border border-zinc-200 p-4" data-testid="domain-item" data-hostname={domain.hostname}>
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <span className="min-w-0 font-medium break-all text-zinc-900">{domain.hostname}</span>
          <Badge tone={status.tone}>{status.label}</Badge>
        </div>
        <div className="flex items-center gap-1">
          <Button size="sm" onClick={() => verify.run({ projectId, domainId: domain.id })} isLoading={verify.isPending}>
            {domain.status === "active" ? "Check again" : "Verify"}
          </Button>
          <Button size="sm" variant="ghost-danger" onClick={() => setIsConfirming(true)} aria-label={`Remove ${domain.hostname}`}>
            <TrashIcon className="size-4" />
            <span className="hidden sm:inline">Remove</span>
          </Button>
        </div>
      </div>

      {domain.status === "active" ? (
        <p className="mt-2 text-[13px] text-zinc-600">
          Serving this project&apos;s files at <code className="font-mono break-all text-zinc-900">https://{domain.hostname}/&lt;folder&gt;/&lt;filename&gt;</code>.
        </p>
      ) : (
        <p className="mt-2 text-[13px] text-zinc-600">Create this record at your DNS provider, then press Verify:</p>
      )}

      <dl className="mt-2 space-y-1 rounded-md bg-zinc-50 px-3 py-2 text-[13px]" aria-label={`DNS record for ${domain.hostname}`}>
        <RecordRow label="Type" value="CNAME" />
        <RecordRow label="Name" value={domain.hostname} isCopyable />
        <RecordRow label="Value" value={target} isCopyable />
      </dl>

      {domain.status === "failed" && domain.lastError ? (
        <p role="status" className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-800" data-testid="domain-error">
          {domain.lastError}
        </p>
      ) : null}
      <FormError message={verify.failure?.error} />
      {domain.lastCheckedAt ? (
        <p className="mt-2 text-xs text-zinc-500">
          Last checked <RelativeTime iso={domain.lastCheckedAt} />
        </p>
      ) : null}

      <Dialog
        open={isConfirming}
        onOpenChange={(open) => {
          setIsConfirming(open);
          if (!open) remove.reset();
        }}
        title={`Remove ${domain.hostname}?`}
        description="Files stop being served at this hostname at once. Links on your own hostname break; /f/ links keep working. The DNS record stays until you remove it at your DNS provider."
      >
        {remove.failure ? (
          <DialogBody>
            <FormError message={remove.failure.error} />
          </DialogBody>
        ) : null}
        <DialogFooter>
          <Button onClick={() => setIsConfirming(false)}>Cancel</Button>
          <Button variant="danger" onClick={() => remove.run({ projectId, domainId: domain.id })} isLoading={remove.isPending}>
            Remove domain
          </Button>
        </DialogFooter>
      </Dialog>
    </li>
  );
}
