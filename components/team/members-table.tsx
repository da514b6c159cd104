"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { changeMemberRoleAction, leaveOrganizationAction, removeMemberAction } from "@/lib/dashboard/actions/team";
import { formatDate } from "@/components/team/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogBody, DialogFooter } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { Spinner } from "@/components/ui/icons";
import { Table, Td, Th, THead } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";
import type { MemberView, Role } from "@/lib/teams/views";

type Props = { orgId: string; orgName: string; members: MemberView[]; isOwner: boolean };

export function MembersTable({ orgId, orgName, members, isOwner }: Props) {
  const router = useRouter();
  const [removing, setRemoving] = useState<MemberView | null>(null);
  const changeRole = useAction(changeMemberRoleAction, { onOk: () => router.refresh() });
  const roleFailure = changeRole.failure?.error;

  return (
    <>
      {roleFailure ? (
        <div className="mb-3">
          <FormError message={roleFailure} />
        </div>
      ) : null}
      <Table label="Members">
        <THead>
          <Th>Person</Th>
          <Th>Role</Th>
          <Th className="hidden sm:table-cell">Joined</Th>
          <Th className="text-right">
            <span className="sr-only">Actions</span>
          </Th>
        </THead>
        <tbody className="divide-y divide-zinc-100">
          {members.map((member) => {
            const isChanging = changeRole.isPending && changeRole.variables?.userId === member.userId;
            return (
              <tr key={member.userId} data-testid="member-row" data-member-email={member.email}>
                <Td className="max-w-0 w-full">
                  <div className="font-medium [overflow-wrap:anywhere] text-zinc-900" title={member.name ?? member.email}>
                    {member.name ?? member.email}
                    {member.isYou ? <span className="ml-1.5 font-normal text-zinc-500">(you)</span> : null}
                  </div>
                  {member.name ? (
                    <div className="text-xs [overflow-wrap:anywhere] text-zinc-500">
                      {member.email}
                    </div>
                  ) : null}
                </Td>
                <Td>
                  {isOwner ? (
                    <div className="flex items-center gap-1.5">
                      <select
                        aria-label={`Role of ${member.email}`}
                        value={member.role}
                        disabled={changeRole.isPending}
                        onChange={(event) => changeRole.run({ orgId, userId: member.userId, role: event.target.value as Role })}
                        className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-[13px] shadow-xs focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20 focus:outline-none disabled:text-zinc-400"
                        data-testid="member-role-select"
                      >
                        <option value="owner">Owner</option>
                        <option value="member">Member</option>
                      </select>
                      {isChanging ? <Spinner className="size-3.5 text-zinc-400" /> : null}
                    </div>
                  ) : (
                    <Badge tone={member.role === "owner" ? "accent" : "neutral"}>{member.role === "owner" ? "Owner" : "Member"}</Badge>
                  )}
                </Td>
                <Td className="hidden whitespace-nowrap text-zinc-500 sm:table-cell">{formatDate(member.joinedAt)}</Td>
                <Td className="text-right whitespace-nowrap">
                  {member.isYou ? (
                    <Button size="sm" variant="ghost-danger" onClick={() => setRemoving(member)}>
                      Leave
                    </Button>
                  ) : isOwner ? (
                    <Button size="sm" variant="ghost-danger" onClick={() => setRemoving(member)} aria-label={`Remove ${member.email}`}>
                      Remove
                    </Button>
                  ) : null}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <RemoveMemberDialog orgId={orgId} orgName={orgName} member={removing} onClose={() => setRemoving(null)} />
    </>
  );
}

/** Removing someone, or leaving yourself: both say what the person loses. */
function RemoveMemberDialog({ orgId, orgName, member, onClose }: { orgId: string; orgName: string; member: MemberView | null; onClose: () => void }) {
  const router = useRouter();
  const done = () => {
    onClose();
    if (member?.isYou) router.push("/dashboard");
    router.refresh();
  };
  const remove = useAction(removeMemberAction, { onOk: done });
  const leave = useAction(leaveOrganizationAction, { onOk: done });
  const action = member?.isYou ? leave : remove;
  const isLeaving = member?.isYou === true;

  return (
    <Dialog
      open={member !== null}
      onOpenChange={(open) => {
        if (open) return;
        remove.reset();
        leave.reset();
        onClose();
      }}
      title={isLeaving ? `Leave ${orgName}?` : "Remove member?"}
    >
      <DialogBody>
        <FormError message={action.failure?.error} />
        <p className="text-[13px] text-zinc-600">
          {isLeaving ? (
            <>You lose access to every project of {orgName} at once. An owner can invite you again.</>
          ) : (
            <>
              <span className="font-medium text-zinc-900">{member?.email}</span> loses access to every project of {orgName} on their next click. Their API keys
              belong to the projects and keep working until revoked.
            </>
          )}
        </p>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="danger"
          isLoading={action.isPending || action.isDone}
          onClick={() => (isLeaving ? leave.run({ orgId }) : member && remove.run({ orgId, userId: member.userId }))}
        >
          {isLeaving ? "Leave organisation" : "Remove"}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
