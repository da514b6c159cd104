"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { createKeyAction } from "@/lib/dashboard/actions/keys";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { AlertIcon, PlusIcon } from "@/components/ui/icons";
import { useAction } from "@/components/ui/use-action";

export function CreateKeyDialog({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const create = useAction(createKeyAction);
  const created = create.data;

  function onOpenChange(open: boolean) {
    setIsOpen(open);
    if (open) return;
    // The list refreshes once the secret is dismissed: refreshing earlier could remount this dialog.
    if (created) router.refresh();
    create.reset();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.run({ projectId, name: String(form.get("name") ?? "") });
  }

  return (
    <Dialog
      open={isOpen}
      onOpenChange={onOpenChange}
      title={created ? "Save your API key" : "Create API key"}
      description={created ? undefined : "Name the key after where it will be used, so you can tell keys apart later."}
      isDismissable={!created}
      size={created ? "md" : "sm"}
      trigger={
        <Button variant="primary">
          <PlusIcon className="size-4" />
          Create key
        </Button>
      }
    >
      {created ? (
        <>
          <DialogBody>
            <div className="flex gap-2.5 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2.5 text-[13px] text-amber-900" role="note">
              <AlertIcon className="mt-0.5 size-4 shrink-0 text-amber-600" />
              <p>
                This is the only time the secret is shown. Copy it now and store it somewhere safe; Mediabit keeps only a hash and cannot show it again.
              </p>
            </div>
            <div>
              <div className="mb-1.5 text-[13px] font-medium text-zinc-800">{created.key.name}</div>
              <div className="flex items-center gap-2 rounded-lg border border-zinc-200 bg-zinc-50 py-1.5 pr-1.5 pl-3">
                <code className="min-w-0 flex-1 font-mono text-[13px] break-all text-zinc-900" data-testid="new-key-secret">
                  {created.secret}
                </code>
                <CopyButton value={created.secret} label="Copy key" showLabel className="border border-zinc-200 bg-white" />
              </div>
            </div>
          </DialogBody>
          <DialogFooter>
            <Button variant="primary" onClick={() => onOpenChange(false)}>
              I&apos;ve saved the key
            </Button>
          </DialogFooter>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <DialogBody>
            <FormError message={create.formError(["name"])} />
            <Field label="Name" name="name" placeholder="e.g. Production server" required autoFocus maxLength={100} error={create.failure?.fieldErrors.name} />
          </DialogBody>
          <DialogFooter>
            <Button onClick={() => onOpenChange(false)}>Cancel</Button>
            <Button type="submit" variant="primary" isLoading={create.isPending}>
              Create key
            </Button>
          </DialogFooter>
        </form>
      )}
    </Dialog>
  );
}
