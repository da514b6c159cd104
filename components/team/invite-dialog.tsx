"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { inviteMemberAction } from "@/lib/dashboard/actions/team";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { Field, FormError } from "@/components/ui/field";
import { AlertIcon, CheckIcon, PlusIcon } from "@/components/ui/icons";
import { useAction } from "@/components/ui/use-action";
import { formatDateTime } from "@/components/team/format";
import { RoleSelect } from "@/components/team/role-select";

const FIELDS = ["email", "role"] as const;

export function InviteDialog({ orgId, orgName }: { orgId: string; orgName: string }) {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const invite = useAction(inviteMemberAction);
  const created = invite.data;
  // The link on screen uses this page's own origin; the e-mailed one (if any) was built from MEDIABIT_PUBLIC_URL.
  const link = created ? `${window.location.origin}${created.invitePath}` : "";

  function onOpenChange(open: boolean) {
    setIsOpen(open);
    if (open) return;
    if (created) router.refresh();
    invite.reset();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    invite.run({ orgId, email: String(form.get("email") ?? ""), role: String(form.get("role") ?? "member") as "member" | "owner" });
  }

  return (
    <Dialog
      open={isOpen}
      onOpenChange={onOpenChange}
      title={created ? "Invitation created" : "Invite people"}
      description={created ? undefined : <>Invite someone into {orgName} by e-mail address. They get a link that works once, for that address only, for 7 days.</>}
      size="md"
      trigger={
        <Button variant="primary">
          <PlusIcon className="size-4" />
          Invite people
        </Button>
      }
    >
      {created ? (
        <>
          <DialogBody>
            <p className="text-[13px] text-zinc-600">
              Send this link to <span className="font-medium text-zinc-900">{created.invitation.email}</span>. It works once, only for that address, until{" "}
              {formatDateTime(created.invitation.expiresAt)}.
            </p>
            <div className="flex items-center gap-2 rounded-lg border border-zinc-200 bg-zinc-50 py-1.5 pr-1.5 pl-3">
              <code className="min-w-0 flex-1 font-mono text-[13px] break-all text-zinc-900" data-testid="invitation-link">
                {link}
              </code>
              <CopyButton value={link} label="Copy link" showLabel className="border border-zinc-200 bg-white" />
            </div>
            {created.mail.status === "sent" ? (
              <p className="flex items-center gap-2 text-[13px] text-emerald-700" data-testid="invitation-mail-status">
                <CheckIcon className="size-4 shrink-0" />
                An e-mail with the link was sent to {created.mail.to}.
              </p>
            ) : (
              <div className="flex gap-2.5 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2.5 text-[13px] text-amber-900" role="note" data-testid="invitation-mail-status">
                <AlertIcon className="mt-0.5 size-4 shrink-0 text-amber-600" />
                <p>
                  {created.mail.reason} Copy the link and send it yourself.
                </p>
              </div>
            )}
          </DialogBody>
          <DialogFooter>
            <Button variant="primary" onClick={() => onOpenChange(false)}>
              Done
            </Button>
          </DialogFooter>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <DialogBody>
            <FormError message={invite.formError(FIELDS)} />
            <Field label="E-mail address" name="email" type="email" placeholder="ana@example.com" required autoFocus maxLength={320} error={invite.failure?.fieldErrors.email} />
            <RoleSelect label="Role" name="role" defaultValue="member" error={invite.failure?.fieldErrors.role} />
          </DialogBody>
          <DialogFooter>
            <Button onClick={() => onOpenChange(false)}>Cancel</Button>
            <Button type="submit" variant="primary" isLoading={invite.isPending}>
              Create invitation
            </Button>
          </DialogFooter>
        </form>
      )}
    </Dialog>
  );
}
