"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { RetryIcon } from "@/components/media/icons";
import { Button } from "@/components/ui/button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { XIcon } from "@/components/ui/icons";
import { useAction } from "@/components/ui/use-action";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { retryTaskAction } from "@/lib/dashboard/actions/tasks";

type CancelAction = (input: { projectId: string; id: string }) => Promise<ActionResult<{ status: string }>>;

/** Cancel with a confirmation: the work stops and what it made so far is discarded. */
export function CancelButton({ projectId, id, noun, action }: { projectId: string; id: string; noun: "task" | "run" | "job"; action: CancelAction }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const cancel = useAction(action, {
    onOk: () => {
      setOpen(false);
      void queryClient.invalidateQueries();
    },
  });
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        <XIcon className="size-4" /> Cancel {noun}
      </Button>
      <Dialog open={open} onOpenChange={(next) => (next ? setOpen(true) : (setOpen(false), cancel.reset()))} title={`Cancel this ${noun}?`}>
        <DialogBody>
          <p className="text-[13px] text-zinc-600">The work stops now and its unfinished outputs are removed. Finished outputs stay in the library.</p>
          <FormError message={cancel.failure?.error} />
        </DialogBody>
        <DialogFooter>
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Keep it running
          </Button>
          <Button variant="danger" isLoading={cancel.isPending} onClick={() => cancel.run({ projectId, id })}>
            Cancel {noun}
          </Button>
        </DialogFooter>
      </Dialog>
    </>
  );
}

/** Retry makes a new task from the same request and opens it; the failed one stays for the record. */
export function RetryButton({ projectId, id }: { projectId: string; id: string }) {
  const router = useRouter();
  const retry = useAction(retryTaskAction, { onOk: (result) => router.push(`/dashboard/tasks/${result.taskId}`) });
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="primary" isLoading={retry.isPending || retry.isDone} onClick={() => retry.run({ projectId, id })}>
        <RetryIcon className="size-4" /> Retry
      </Button>
      {retry.failure ? <p className="max-w-xs text-right text-xs text-red-700">{retry.failure.error}</p> : null}
    </div>
  );
}
