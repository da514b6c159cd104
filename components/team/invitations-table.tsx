"use client";

import { useRouter } from "next/navigation";
import { revokeInvitationAction } from "@/lib/dashboard/actions/team";
import { formatDate } from "@/components/team/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { Table, Td, Th, THead } from "@/components/ui/table";
import { useAction } from "@/components/ui/use-action";
import type { PendingInvitationView } from "@/lib/teams/views";

export function InvitationsTable({ orgId, invitations }: { orgId: string; invitations: PendingInvitationView[] }) {
  const router = useRouter();
  const revoke = useAction(revokeInvitationAction, { onOk: () => router.refresh() });
  return (
    <>
      {revoke.failure ? (
        <div className="mb-3">
          <FormError message={revoke.failure.error} />
        </div>
      ) : null}
      <Table label="Pending invitations">
        <THead>
          <Th>E-mail address</Th>
          <Th>Role</Th>
          <Th className="hidden md:table-cell">Invited by</Th>
          <Th className="hidden sm:table-cell">Expires</Th>
          <Th className="text-right">
            <span className="sr-only">Actions</span>
          </Th>
        </THead>
        <tbody className="divide-y divide-zinc-100">
          {invitations.map((invitation) => (
            <tr key={invitation.id} data-testid="invitation-row" data-invitation-email={invitation.email}>
              <Td className="max-w-0 w-full">
                <div className="font-medium [overflow-wrap:anywhere] text-zinc-900" title={invitation.email}>
                  {invitation.email}
                </div>
              </Td>
              <Td>
                <Badge tone={invitation.role === "owner" ? "accent" : "neutral"}>{invitation.role === "owner" ? "Owner" : "Member"}</Badge>
              </Td>
              <Td className="hidden max-w-48 truncate text-zinc-500 md:table-cell" title={invitation.invitedBy ?? undefined}>
                {invitation.invitedBy ?? "—"}
              </Td>
              <Td className="hidden whitespace-nowrap text-zinc-500 sm:table-cell">{formatDate(invitation.expiresAt)}</Td>
              <Td className="text-right">
                <Button
                  size="sm"
                  variant="ghost-danger"
                  isLoading={revoke.isPending && revoke.variables?.invitationId === invitation.id}
                  onClick={() => revoke.run({ orgId, invitationId: invitation.id })}
                  aria-label={`Revoke the invitation for ${invitation.email}`}
                >
                  Revoke
                </Button>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
