"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { revokeKeyAction, setKeyStatusAction } from "@/lib/dashboard/actions/keys";
import { Badge, StatusDot } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, THead, Td, Th } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";
import type { KeyView } from "@/lib/dashboard/views";

const STATUS = {
  active: { tone: "green", label: "Active" },
  paused: { tone: "amber", label: "Paused" },
  revoked: { tone: "zinc", label: "Revoked" },
} as const;

export function KeysTable({ projectId, keys }: { projectId: string; keys: KeyView[] }) {
  const [revoking, setRevoking] = useState<KeyView | null>(null);
  // Live keys first; revoked ones stay listed (greyed) so a failing client can be traced to its key.
  const rows = [...keys.filter((k) => k.status !== "revoked"), ...keys.filter((k) => k.status === "revoked")];
  return (
    <>
      <Table label="API keys" isStacked>
        <THead>
          <Th>Name</Th>
          <Th>Key</Th>
          <Th>Created</Th>
          <Th>Last used</Th>
          <Th>Status</Th>
          <Th className="w-px">
            <span className="sr-only">Actions</span>
          </Th>
        </THead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((key) => {
            const isRevoked = key.status === "revoked";
            return (
              <tr
                key={key.id}
                data-testid="key-row"
                data-key-id={key.id}
                // Focus lands on the row after its key is revoked, since the button that opened the dialog is gone.
                tabIndex={-1}
                className={cn("focus:outline-none focus-visible:outline-2 focus-visible:outline-indigo-500", isRevoked ? "bg-zinc-50/60 [&>td]:text-zinc-500" : "hover:bg-zinc-50/60")}
              >
                <Td className="max-w-64" label="Name">
                  <div className="flex min-w-0 items-center gap-2">
                    <span className={`truncate font-medium ${isRevoked ? "text-zinc-500" : "text-zinc-900"}`} title={key.name}>
                      {key.name}
                    </span>
                    {key.admin ? <Badge tone="accent">Admin</Badge> : null}
                  </div>
                </Td>
                <Td label="Key">
                  <code className={`font-mono text-xs ${isRevoked ? "text-zinc-500" : "text-zinc-600"}`}>{key.prefix}</code>
                </Td>
                <Td className="whitespace-nowrap" label="Created">
                  <RelativeTime iso={key.createdAt} />
                </Td>
                <Td className="whitespace-nowrap" label="Last used" data-testid="key-last-used">
                  {key.lastUsedAt ? <RelativeTime iso={key.lastUsedAt} /> : <span className="text-zinc-500">Never</span>}
                </Td>
                <Td label="Status">
                  <span className="inline-flex items-center gap-1.5 text-[13px]" data-testid="key-status">
                    <StatusDot tone={STATUS[key.status].tone} />
                    {STATUS[key.status].label}
                  </span>
                </Td>
                <Td className="text-right max-md:empty:hidden">
                  {isRevoked ? null : (
                    <div className="flex items-center justify-end gap-1 max-md:-ml-2 max-md:flex-wrap max-md:justify-start">
                      <KeyStatusButton projectId={projectId} apiKey={key} />
                      <Button size="sm" variant="ghost-danger" onClick={() => setRevoking(key)}>
                        Revoke
                      </Button>
                    </div>
                  )}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {revoking ? <RevokeKeyDialog projectId={projectId} apiKey={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}

/** Pause a key (its requests answer 401 until re-enabled) or re-enable it; a refusal shows as the button's title. */
function KeyStatusButton({ projectId, apiKey }: { projectId: string; apiKey: KeyView }) {
  const router = useRouter();
  const change = useAction(setKeyStatusAction, { onOk: () => router.refresh() });
  const pausing = apiKey.status === "active";
  return (
    <span className="inline-flex items-center gap-1">
      {change.failure ? (
        <span role="alert" className="max-w-56 truncate text-xs text-red-600" title={change.failure.error} data-testid="key-status-error">
          {change.failure.error}
        </span>
      ) : null}
      <Button size="sm" variant="ghost" isLoading={change.isPending} onClick={() => change.run({ projectId, keyId: apiKey.id, status: pausing ? "paused" : "active" })}>
        {pausing ? "Pause" : "Enable"}
      </Button>
    </span>
  );
}

function RevokeKeyDialog({ projectId, apiKey, onClose }: { projectId: string; apiKey: KeyView; onClose: () => void }) {
  const router = useRouter();
  const isRevoked = useRef(false);
  const revoke = useAction(revokeKeyAction, {
    onOk: () => {
      isRevoked.current = true;
      onClose();
      router.refresh();
    },
  });
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Revoke API key"
      size="sm"
      returnFocusTo={() => (isRevoked.current ? document.querySelector<HTMLElement>(`[data-testid="key-row"][data-key-id="${apiKey.id}"]`) : null)}
    >
      <DialogBody>
        <p className="text-[13px] leading-relaxed text-zinc-600">
          Requests that use <span className="font-medium text-zinc-900">{apiKey.name}</span> (
          <code className="font-mono text-xs">{apiKey.prefix}</code>) will be refused with 401 from now on. This cannot be undone.
        </p>
        <FormError message={revoke.formError([])} />
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" isLoading={revoke.isPending} onClick={() => revoke.run({ projectId, keyId: apiKey.id })}>
          Revoke key
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
