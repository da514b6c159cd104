// Invitations into an organisation: a single-use link for one e-mail address, valid 7 days, revocable.
// The token travels only in the link; the database keeps its sha256.
import { AppError } from "@/lib/api/errors";
import { sha256Hex } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import type { Invitation, Prisma } from "@/lib/db/generated/client";
import { randomToken } from "@/lib/ids";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = `inv_${randomToken(40)}`;
  return { token, tokenHash: sha256Hex(token) };
}

export type PendingInvitation = Invitation & { orgName: string };

/** The invitation a link names while it can still be accepted: not used, revoked or expired. */
export async function findPendingInvitation(token: string, now = new Date()): Promise<PendingInvitation | null> {
  if (!/^inv_[0-9A-Za-z]{40}$/.test(token)) return null;
  const prisma = await db();
  const invitation = await prisma.invitation.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { org: { select: { name: true } } } });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= now) return null;
  const { org, ...rest } = invitation;
  return { ...rest, orgName: org.name };
}

/**
 * Makes `user` a member through the invitation, inside the caller's transaction (sign-up creates the user in
 * the same one). Only the invited address may accept; the conditional update makes the link single-use even
 * when two people click it at once.
 */
export async function acceptInvitationInTx(
  tx: Prisma.TransactionClient,
  input: { token: string; userId: string; email: string },
  now = new Date(),
): Promise<{ orgId: string }> {
  const unusable = new AppError("invitation_invalid", "This invitation link is no longer valid: it was used, revoked or has expired. Ask for a new one.");
  if (!/^inv_[0-9A-Za-z]{40}$/.test(input.token)) throw unusable;
  const invitation = await tx.invitation.findUnique({ where: { tokenHash: sha256Hex(input.token) } });
  if (!invitation) throw unusable;
  if (invitation.email !== input.email.trim().toLowerCase()) {
    throw new AppError("invitation_invalid", `This invitation is for ${invitation.email}. Sign in or sign up with that address to accept it.`);
  }
  const { count } = await tx.invitation.updateMany({
    where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedBy: input.userId },
  });
  if (count !== 1) throw unusable;
  const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: invitation.orgId, userId: input.userId } } });
  if (!existing) await tx.membership.create({ data: { orgId: invitation.orgId, userId: input.userId, role: invitation.role } });
  return { orgId: invitation.orgId };
}
