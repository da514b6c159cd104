// People, organisations and projects for the team tests, written straight to the database (PGlite by default,
// PostgreSQL with DATABASE_URL). Every test makes its own, so files run in parallel safely.
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import type { MemberRole } from "@/lib/db/generated/client";
import { resetEnvForTests } from "@/lib/env";
import { newId } from "@/lib/ids";

export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString("hex")}@example.test`;
}

/** Sets (or with undefined, clears) settings and makes env() read them again. */
export function withSettings(settings: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvForTests();
}

export async function makeUser(label: string, name: string | null = null) {
  const prisma = await db();
  // No one signs in here: a placeholder hash keeps the tests fast.
  return prisma.user.create({ data: { id: newId("usr"), email: uniqueEmail(label), name, passwordHash: "unused" } });
}

export async function makeProject(orgId: string, name = "Default") {
  const prisma = await db();
  const id = newId("prj");
  return prisma.project.create({ data: { id, orgId, name, alias: `t-${id.slice(4, 16).toLowerCase()}` } });
}

/** An organisation with one project and its owner; `members` more people join with the given roles. */
export async function makeTeam(members: MemberRole[] = []) {
  const prisma = await db();
  const orgId = newId("org");
  await prisma.organization.create({ data: { id: orgId, name: `Team ${orgId.slice(-6)}` } });
  const project = await makeProject(orgId);
  const owner = await makeUser("owner", "Olga Owner");
  await prisma.membership.create({ data: { orgId, userId: owner.id, role: "owner" } });
  const others = [];
  for (const [index, role] of members.entries()) {
    const user = await makeUser(`${role}${index}`);
    await prisma.membership.create({ data: { orgId, userId: user.id, role } });
    others.push(user);
  }
  return { orgId, project, owner, members: others, as: (userId: string) => ({ orgId, userId }) };
}

export async function roleOf(orgId: string, userId: string): Promise<MemberRole | null> {
  const prisma = await db();
  const membership = await prisma.membership.findUnique({ where: { orgId_userId: { orgId, userId } } });
  return membership?.role ?? null;
}
