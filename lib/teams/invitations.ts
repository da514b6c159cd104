// Invitations into an organisation: a single-use link for one e-mail address, valid 7 days, revocable.
// The token travels only in the link; the database keeps its sha256.
import { AppError } from "@/lib/api/errors";
import { sha256Hex } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import type { Invitation, MemberRole, Prisma } from "@/lib/db/generated/client";
import { newId, randomToken } from "@/lib/ids";
import { sendInvitationMail, type MailOutcome } from "@/lib/teams/mail";
import { assertOwner, type TeamScope } from "@/lib/teams/members";
import type { TInviteMember } from "@/lib/teams/schemas";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The shape newInvitationToken() makes; anything else is not worth a database look-up. */
export function isInvitationTokenFormat(token: string): boolean {
  return /^inv_[0-9A-Za-z]{40}$/.test(token);
}

export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = `inv_${randomToken(40)}`;
  return { token, tokenHash: sha256Hex(token) };
}

export type PendingInvitation = Invitation & { orgName: string };

/** The invitation a link names while it can still be accepted: not used, revoked or expired. */
export async function findPendingInvitation(token: string, now = new Date()): Promise<PendingInvitation | null> {
  if (!isInvitationTokenFormat(token)) return null;
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
  if (!isInvitationTokenFormat(input.token)) throw unusable;
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

export type InvitationView = { id: string; email: string; role: MemberRole; invitedBy: string | null; createdAt: Date; expiresAt: Date };

async function inviterLabels(tx: Prisma.TransactionClient, userIds: (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds.filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const users = await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name ? `${u.name} (${u.email})` : u.email]));
}

/**
 * An owner invites an address. A new invitation for the same address replaces a pending one (its link stops
 * working): the old token is not stored, so it could not be shown again anyway.
 */
export async function createInvitation(
  scope: TeamScope,
  input: Pick<TInviteMember, "email" | "role">,
  now = new Date(),
): Promise<{ invitation: Invitation; token: string }> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    await assertOwner(tx, scope, "invite people");
    const existing = await tx.membership.findFirst({ where: { orgId: scope.orgId, user: { email: input.email } }, select: { userId: true } });
    if (existing) throw new AppError("conflict", `${input.email} is already a member of this organisation.`, [{ field: "email", message: "this person is already a member" }]);
    await tx.invitation.updateMany({
      where: { orgId: scope.orgId, email: input.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { revokedAt: now },
    });
    const { token, tokenHash } = newInvitationToken();
    const invitation = await tx.invitation.create({
      data: {
        id: newId("inv"),
        orgId: scope.orgId,
        email: input.email,
        role: input.role,
        tokenHash,
        invitedBy: scope.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      },
    });
    return { invitation, token };
  });
}

/** Creates the invitation, then e-mails it when this server can; the caller shows the link either way. */
export async function inviteMember(scope: TeamScope, input: Pick<TInviteMember, "email" | "role">): Promise<{ invitation: Invitation; token: string; mail: MailOutcome }> {
  const { invitation, token } = await createInvitation(scope, input);
  const prisma = await db();
  const [org, inviter] = await Promise.all([
    prisma.organization.findUniqueOrThrow({ where: { id: scope.orgId }, select: { name: true } }),
    prisma.user.findUniqueOrThrow({ where: { id: scope.userId }, select: { email: true, name: true } }),
  ]);
  const mail = await sendInvitationMail({
    to: invitation.email,
    orgName: org.name,
    inviter: inviter.name ?? inviter.email,
    role: invitation.role,
    token,
    expiresAt: invitation.expiresAt,
  });
  return { invitation, token, mail };
}

/** Invitations that can still be accepted, newest first; owners only (they carry other people's addresses). */
export async function listPendingInvitations(scope: TeamScope, now = new Date()): Promise<InvitationView[]> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    await assertOwner(tx, scope, "see pending invitations");
    const rows = await tx.invitation.findMany({
      where: { orgId: scope.orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
    });
    const labels = await inviterLabels(tx, rows.map((r) => r.invitedBy));
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      invitedBy: r.invitedBy ? (labels.get(r.invitedBy) ?? null) : null,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
    }));
  });
}

export async function revokeInvitation(scope: TeamScope, invitationId: string, now = new Date()): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await assertOwner(tx, scope, "revoke invitations");
    const { count } = await tx.invitation.updateMany({
      where: { id: invitationId, orgId: scope.orgId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count !== 1) throw new AppError("not_found", "This invitation is no longer pending: it was accepted or revoked. Reload the page.");
  });
}

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export type InvitationDetails = {
  status: InvitationStatus;
  orgId: string;
  orgName: string;
  email: string;
  role: MemberRole;
  inviter: string | null;
  expiresAt: Date;
};

/** What /invite/<token> shows; null for a token that never existed (nothing to say about it). */
export async function describeInvitation(token: string, now = new Date()): Promise<InvitationDetails | null> {
  if (!isInvitationTokenFormat(token)) return null;
  const prisma = await db();
  const invitation = await prisma.invitation.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { org: { select: { name: true } } } });
  if (!invitation) return null;
  const status: InvitationStatus = invitation.acceptedAt ? "accepted" : invitation.revokedAt ? "revoked" : invitation.expiresAt <= now ? "expired" : "pending";
  const labels = await inviterLabels(prisma, [invitation.invitedBy]);
  return {
    status,
    orgId: invitation.orgId,
    orgName: invitation.org.name,
    email: invitation.email,
    role: invitation.role,
    inviter: invitation.invitedBy ? (labels.get(invitation.invitedBy) ?? null) : null,
    expiresAt: invitation.expiresAt,
  };
}

/**
 * A signed-in person clicking "Join", in its own transaction (sign-up uses acceptInvitationInTx in its own).
 * Their address is read from the database, not from the session token.
 */
export async function acceptInvitation(input: { token: string; userId: string }): Promise<{ orgId: string }> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { email: true } });
    if (!user) throw new AppError("token_missing", "Your session has ended. Sign in again.");
    return acceptInvitationInTx(tx, { token: input.token, userId: input.userId, email: user.email });
  });
}
