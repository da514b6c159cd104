"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteConnectionAction, makeDefaultConnectionAction, testConnectionAction } from "@/lib/dashboard/actions/connections";
import { ConnectionFormDialog } from "@/components/connections/connection-form-dialog";
import { TestResult } from "@/components/connections/test-result";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { CheckIcon, TrashIcon } from "@/components/ui/icons";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, THead, Td, Th } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";
import type { ConnectionView } from "@/lib/dashboard/views";

const COLUMNS = 6;

export function ConnectionsTable({ projectId, connections }: { projectId: string; connections: ConnectionView[] }) {
  return (
    <Table label="Connections" isStacked>
      <THead>
        <Th>Name</Th>
        <Th>Endpoint</Th>
        <Th>Bucket</Th>
        <Th>Credentials</Th>
        <Th>Verified</Th>
        <Th className="w-px">
          <span className="sr-only">Actions</span>
        </Th>
      </THead>
      {connections.map((connection) => (
        <ConnectionRows key={connection.id} projectId={projectId} connection={connection} />
      ))}
    </Table>
  );
}

/** One connection: its row, and under it the latest test result. */
function ConnectionRows({ projectId, connection }: { projectId: string; connection: ConnectionView }) {
  const router = useRouter();
  const [isDeleting, setIsDeleting] = useState(false);
  const target = { projectId, connectionId: connection.id };
  const test = useAction(testConnectionAction, { onOk: () => router.refresh() });
  const makeDefault = useAction(makeDefaultConnectionAction, { onOk: () => router.refresh() });
  const rowError = test.failure?.error ?? makeDefault.failure?.error;

  return (
    <tbody className="border-b border-zinc-100 last:border-b-0" data-testid="connection-row" data-connection-name={connection.name}>
      <tr className="hover:bg-zinc-50/60">
        <Td className="max-w-56" label="Name">
          <div className="min-w-0">
          <div className="flex items-center gap-2">
            <span className="truncate font-medium text-zinc-900" title={connection.name} data-testid="connection-name">
              {connection.name}
            </span>
            {connection.isDefault ? (
              <Badge tone="accent" className="shrink-0">
                Default
              </Badge>
            ) : null}
          </div>
          <div className="mt-0.5 truncate font-mono text-[11px] text-zinc-500">{connection.id}</div>
          </div>
        </Td>
        <Td className="max-w-64" label="Endpoint">
          <div className="min-w-0">
          <div className="truncate font-mono text-xs text-zinc-700" title={connection.endpoint}>
            {connection.endpoint}
          </div>
          <div className="mt-0.5 text-xs text-zinc-500">
            {connection.region} · {connection.forcePathStyle ? "path-style" : "virtual-hosted"}
          </div>
          </div>
        </Td>
        <Td className="max-w-44" label="Bucket">
          {connection.bucket ? (
            <span className="block truncate font-mono text-xs text-zinc-700" title={connection.bucket}>
              {connection.bucket}
            </span>
          ) : (
            <span className="text-xs text-zinc-500">Any bucket</span>
          )}
        </Td>
        <Td className="max-w-48" label="Credentials">
          <div className="min-w-0">
          <div className="truncate font-mono text-xs text-zinc-700" title={connection.accessKeyId}>
            {connection.accessKeyId}
          </div>
          <div className="mt-0.5 font-mono text-xs text-zinc-500" data-testid="connection-secret">
            {connection.maskedSecret}
          </div>
          </div>
        </Td>
        <Td className="whitespace-nowrap" label="Verified" data-testid="connection-verified">
          {connection.verifiedAt ? (
            <span className="inline-flex items-center gap-1 text-xs text-emerald-700">
              <CheckIcon className="size-3.5" />
              <RelativeTime iso={connection.verifiedAt} />
            </span>
          ) : (
            <span className="text-xs text-zinc-500">Not verified</span>
          )}
        </Td>
        <Td>
          <div className="flex items-center justify-end gap-1 max-md:-ml-2 max-md:flex-wrap max-md:justify-start">
            {connection.isDefault ? null : (
              <Button size="sm" variant="ghost" onClick={() => makeDefault.run(target)} isLoading={makeDefault.isPending}>
                Make default
              </Button>
            )}
            <Button size="sm" onClick={() => test.run(target)} isLoading={test.isPending}>
              Test
            </Button>
            <ConnectionFormDialog mode="edit" projectId={projectId} connection={connection} />
            <Button
              size="sm"
              variant="ghost-danger"
              aria-label={`Delete ${connection.name}`}
              title="Delete"
              onClick={() => setIsDeleting(true)}
            >
              <TrashIcon className="size-3.5" />
            </Button>
          </div>
        </Td>
      </tr>
      {rowError ? (
        <tr>
          <td colSpan={COLUMNS} className="px-4 pb-3 max-md:block max-md:p-0">
            <FormError message={rowError} />
          </td>
        </tr>
      ) : null}
      {test.data && !test.isPending ? (
        <tr>
          <td colSpan={COLUMNS} className="px-4 pb-3 max-md:block max-md:p-0">
            <TestResult result={test.data.result} testedAt={test.data.testedAt} onDismiss={test.reset} />
          </td>
        </tr>
      ) : null}
      {isDeleting ? <DeleteConnectionDialog projectId={projectId} connection={connection} onClose={() => setIsDeleting(false)} /> : null}
    </tbody>
  );
}

function DeleteConnectionDialog({ projectId, connection, onClose }: { projectId: string; connection: ConnectionView; onClose: () => void }) {
  const router = useRouter();
  const remove = useAction(deleteConnectionAction, {
    onOk: () => {
      onClose();
      router.refresh();
    },
  });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Delete connection">
      <DialogBody>
        <p className="text-[13px] leading-relaxed text-zinc-600">
          Delete <span className="font-medium break-all text-zinc-900">{connection.name}</span>? Its stored credentials are erased; objects in the bucket are
          not touched.
          {connection.isDefault ? " The most recently added remaining connection becomes the default." : ""}
        </p>
        <FormError message={remove.formError([])} />
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" isLoading={remove.isPending} onClick={() => remove.run({ projectId, connectionId: connection.id })}>
          Delete connection
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
