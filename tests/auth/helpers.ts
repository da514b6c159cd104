// Accounts, invitations and a fresh database for the auth tests (PGlite by default, PostgreSQL with DATABASE_URL).
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "@/tests/helpers/postgres";
import { hashPassword } from "@/lib/auth/passwords";
import { closeDb, db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { newId } from "@/lib/ids";
import { INVITATION_TTL_MS, newInvitationToken } from "@/lib/teams/invitations";

export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString("hex")}@example.test`;
}

/** A random address from the TEST-NET range, so tests never share a rate-limit bucket. */
export function uniqueAddress(): string {
  const b = randomBytes(2);
  return `198.51.${b[0]}.${b[1]}`;
}

/** Sets (or with undefined, clears) settings and makes env() read them again. */
export function withSettings(settings: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvForTests();
}

/** A user owning a new organisation with one project; `passwordHash` may be given (e.g. a legacy bcrypt one). */
export async function makeOwner(input: { email?: string; password?: string; passwordHash?: string } = {}) {
  const prisma = await db();
  const email = input.email ?? uniqueEmail("owner");
  const password = input.password ?? "owner passphrase";
  const passwordHash = input.passwordHash ?? (await hashPassword(password));
  const orgId = newId("org");
  await prisma.organization.create({ data: { id: orgId, name: "Inviting org" } });
  const project = await prisma.project.create({ data: { id: newId("prj"), orgId, name: "Default", alias: `p-${orgId.slice(4, 14).toLowerCase()}` } });
  const user = await prisma.user.create({ data: { id: newId("usr"), email, passwordHash } });
  await prisma.membership.create({ data: { orgId, userId: user.id, role: "owner" } });
  return { user, orgId, project, email, password };
}

export async function makeInvitation(orgId: string, email: string, options: { role?: "owner" | "member"; expiresAt?: Date } = {}) {
  const prisma = await db();
  const { token, tokenHash } = newInvitationToken();
  await prisma.invitation.create({
    data: { id: newId("inv"), orgId, email, role: options.role ?? "member", tokenHash, expiresAt: options.expiresAt ?? new Date(Date.now() + INVITATION_TTL_MS) },
  });
  return token;
}

/** Points the process at an empty database: a new PGlite data dir, or a new PostgreSQL database. */
export async function useFreshDatabase(): Promise<void> {
  await closeDb();
  const current = process.env.DATABASE_URL;
  if (current) {
    const admin = new URL(current);
    admin.pathname = "/postgres";
    withSettings({ DATABASE_URL: await createTestDatabase("auth", admin.href) });
  } else {
    withSettings({ MEDIABIT_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "mediabit-auth-")) });
  }
}
