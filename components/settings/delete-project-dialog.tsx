"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { deleteProjectAction } from "@/lib/dashboard/actions/settings";
import { Button } from "@/components/ui/button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { TrashIcon } from "@/components/ui/icons";
import { useAction } from "@/components/ui/use-action";
import type { ProjectContents } from "@/lib/projects/manage";

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

/** Names everything that goes with the project and asks for its name typed back. */
export function DeleteProjectDialog({ projectId, projectName, orgName, contents }: { projectId: string; projectName: string; orgName: string; contents: ProjectContents }) {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const remove = useAction(deleteProjectAction, {
    onOk: () => {
      setIsOpen(false);
      router.push("/dashboard");
      router.refresh();
    },
  });
  const lines = [
    plural(contents.media, "media item", "media items"),
    plural(contents.files, "file", "files"),
    plural(contents.tasks, "task", "tasks"),
    plural(contents.apiKeys, "API key", "API keys"),
    plural(contents.connections, "connection", "connections"),
  ];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    remove.run({ projectId, confirmName: typed });
  }

  return (
    <Dialog
      open={isOpen}
      onOpenChange={(open) => {
        setIsOpen(open);
        if (!open) {
          setTyped("");
          remove.reset();
        }
      }}
      title={`Delete ${projectName}?`}
      description={<>This cannot be undone. The project and everything in it are deleted from {orgName}:</>}
      trigger={
        <Button variant="danger">
          <TrashIcon className="size-4" />
          Delete project
        </Button>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <DialogBody>
          <FormError message={remove.formError(["confirmName"])} />
          <ul className="grid grid-cols-1 gap-x-6 gap-y-1 rounded-lg border border-red-100 bg-red-50/60 px-4 py-3 text-[13px] text-red-900 sm:grid-cols-2" data-testid="delete-project-contents">
            {lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
            <li className="sm:col-span-2 text-red-800/80">and the stored bytes of its files. Its API keys stop working at once.</li>
          </ul>
          <Field
            label={`Type ${projectName} to confirm`}
            name="confirmName"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            autoFocus
            error={remove.failure?.fieldErrors.confirmName}
          />
        </DialogBody>
        <DialogFooter>
          <Button onClick={() => setIsOpen(false)}>Cancel</Button>
          <Button type="submit" variant="danger" disabled={typed.trim() !== projectName} isLoading={remove.isPending || remove.isDone}>
            Delete project
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
