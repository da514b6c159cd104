// Dashboard accounts: email + argon2id password; each user belongs to organisations through memberships.
// Sign-up follows MEDIABIT_SIGNUP and never joins an existing organisation except through an invitation.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { dummyPasswordHash, hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { db } from "@/lib/db/client";
import type { Project, User } from "@/lib/db/generated/client";
import { Prisma } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { acceptInvitationInTx } from "@/lib/teams/invitations";
import { ZEmail } from "@/lib/teams/schemas";

export { hashPassword };

export const ZPassword = z.string().min(8, "use at least 8 characters").max(200, "use at most 200 characters");

export const ZSignUp = z.object({
  name: z.string().trim().max(100).optional(),
  email: ZEmail,
  password: ZPassword,
  invitation: z.string().trim().max(200).optional(),
});
export type TSignUp = z.infer<typeof ZSignUp>;

export type SignupPolicy = "open" | "invite" | "closed";

export const SIGNUP_REFUSALS = {
  closed: "Sign-up is closed on this server. If you were invited, sign in with your account to accept; otherwise ask an owner to invite you.",
  invite: "Sign-up is by invitation: ask an owner of the organisation for an invitation link.",
} as const;

/**
 * Creates an account under `policy`: with an invitation (open or invite) the person joins the inviting
 * organisation in the same transaction that creates them; without one (open only) they get a new
 * organisation with a Default project of their own.
 */
export async function signUp(input: TSignUp, policy: SignupPolicy = env().MEDIABIT_SIGNUP): Promise<User> {
  if (policy === "closed") throw new AppError("signup_closed", SIGNUP_REFUSALS.closed);
  const invitation = input.invitation || undefined;
  if (policy === "invite" && !invitation) throw new AppError("signup_closed", SIGNUP_REFUSALS.invite);
  const prisma = await db();
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { id: newId("usr"), email: input.email, name: input.name || null, passwordHash } });
      if (invitation) {
        await acceptInvitationInTx(tx, { token: invitation, userId: user.id, email: input.email });
        return user;
      }
      const orgId = newId("org");
      await tx.organization.create({ data: { id: orgId, name: input.name ? `${input.name}'s organisation` : "My organisation" } });
      await tx.project.create({ data: { id: newId("prj"), orgId, name: "Default", alias: `default-${orgId.slice(4, 12).toLowerCase()}` } });
      await tx.membership.create({ data: { orgId, userId: user.id, role: "owner" } });
      return user;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "An account with this email already exists. Sign in instead.");
    }
    throw error;
  }
}

/**
 * The user these credentials belong to, or null. An unknown e-mail is checked against a real dummy hash,
 * so it costs what a wrong password costs. A correct password on an old hash (bcrypt, weaker argon2
 * settings) replaces the hash with a current one.
 */
export async function verifyCredentials(email: string, password: string): Promise<User | null> {
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const check = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !check.isValid) return null;
  if (!check.needsRehash) return user;
  const passwordHash = await hashPassword(password);
  // Conditional: a password changed meanwhile is not overwritten with the old one.
  await prisma.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash } });
  return { ...user, passwordHash };
}

/** Replaces the password after checking the current one, and ends every session issued before. */
export async function changePassword(userId: string, input: { currentPassword: string; newPassword: string }): Promise<{ sessionVersion: number; email: string }> {
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("token_missing", "Your session has ended. Sign in again.");
  const check = await verifyPassword(user.passwordHash, input.currentPassword);
  if (!check.isValid) throw new AppError("invalid_input", "Your current password is not right.", [{ field: "currentPassword", message: "this is not your current password" }]);
  const passwordHash = await hashPassword(input.newPassword);
  const updated = await prisma.user.update({
    where: { id: userId },
    data: { passwordHash, sessionVersion: { increment: 1 } },
    select: { sessionVersion: true, email: true },
  });
  return updated;
}

/** What a session token is checked against on every request; null when the user no longer exists. */
export async function sessionSubject(userId: string): Promise<{ sessionVersion: number; email: string; name: string | null } | null> {
  const prisma = await db();
  return prisma.user.findUnique({ where: { id: userId }, select: { sessionVersion: true, email: true, name: true } });
}

/** Ends every session carrying `version` (sign-out); a no-op when the version already moved on. */
export async function endSessionsOf(userId: string, version: number): Promise<boolean> {
  const prisma = await db();
  const { count } = await prisma.user.updateMany({ where: { id: userId, sessionVersion: version }, data: { sessionVersion: { increment: 1 } } });
  return count === 1;
}

export type UserProject = Project & { orgName: string; role: "owner" | "member" };

export async function listUserProjects(userId: string): Promise<UserProject[]> {
  const prisma = await db();
  const memberships = await prisma.membership.findMany({
    where: { userId },
    include: { org: { include: { projects: { orderBy: { createdAt: "asc" } } } } },
    orderBy: { createdAt: "asc" },
  });
  return memberships.flatMap((m) => m.org.projects.map((p) => ({ ...p, orgName: m.org.name, role: m.role })));
}
