// Dashboard accounts: email + bcrypt password; each user belongs to organisations through memberships.
import bcrypt from "bcryptjs";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { Project, User } from "@/lib/db/generated/client";
import { Prisma } from "@/lib/db/generated/client";
import { newId } from "@/lib/ids";

const BCRYPT_ROUNDS = 11;
// Serialises sign-ups so exactly one person claims an unowned organisation.
const SIGNUP_LOCK_ID = 7_361_024_118;

export const ZSignUp = z.object({
  name: z.string().trim().max(100).optional(),
  email: z.email("enter a valid email address").trim().toLowerCase(),
  password: z.string().min(8, "use at least 8 characters").max(200),
});
export type TSignUp = z.infer<typeof ZSignUp>;

export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_ROUNDS);
}

/**
 * The first person to sign up owns the organisation made at first start; later sign-ups get an
 * organisation and project of their own.
 */
export async function signUp(input: TSignUp): Promise<User> {
  const prisma = await db();
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SIGNUP_LOCK_ID})`;
      const user = await tx.user.create({ data: { id: newId("usr"), email: input.email, name: input.name || null, passwordHash } });
      const unowned = await tx.organization.findFirst({ where: { memberships: { none: {} } }, orderBy: { createdAt: "asc" } });
      const orgId = unowned?.id ?? newId("org");
      if (!unowned) {
        await tx.organization.create({ data: { id: orgId, name: input.name ? `${input.name}'s organisation` : "My organisation" } });
        await tx.project.create({ data: { id: newId("prj"), orgId, name: "Default", alias: `default-${orgId.slice(4, 12).toLowerCase()}` } });
      }
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

export async function verifyCredentials(email: string, password: string): Promise<User | null> {
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  // Compare even for unknown emails so response time does not reveal which emails exist.
  const ok = await bcrypt.compare(password, user?.passwordHash ?? "$2b$11$invalidinvalidinvalidinvalidinvalidinvalidinvalidinvali");
  return ok && user ? user : null;
}

/** Invalidates every session token issued before now (sign-out, password change). */
export async function bumpSessionVersion(userId: string): Promise<number> {
  const prisma = await db();
  const updated = await prisma.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } }, select: { sessionVersion: true } });
  return updated.sessionVersion;
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

/** The project a dashboard user acts on: the one asked for if they may, else their first. */
export async function resolveUserProject(userId: string, wanted?: string | null): Promise<UserProject> {
  const projects = await listUserProjects(userId);
  const chosen = projects.find((p) => p.id === wanted) ?? projects[0];
  if (!chosen) throw new AppError("not_found", "This account has no project.");
  return chosen;
}
