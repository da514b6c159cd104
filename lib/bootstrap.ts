// First start: an organisation, a project, its first owner and an API key, so the app is usable with no
// browser step. The owner is MEDIABIT_BOOTSTRAP_EMAIL/PASSWORD, else a generated login printed once; with
// MEDIABIT_BOOTSTRAP_KEY, that exact string becomes the first API key. The organisation always has an
// owner, so nobody can claim it by signing up.
import { randomBytes } from "node:crypto";
import { sha256Hex } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { displayPrefix, generateKeySecret } from "@/lib/keys/keys";
import { newId } from "@/lib/ids";
import { hashPassword } from "@/lib/users/users";

const BOOTSTRAP_LOCK_ID = 7_361_024_119;
export const DEV_LOGIN_EMAIL = "admin@mediabit.local";

export type BootstrapResult = {
  createdOrganization: boolean;
  /** A generated login, to print once. */
  login?: { email: string; password: string };
  /** The owner given by MEDIABIT_BOOTSTRAP_EMAIL (its password is not printed). */
  owner?: { email: string; isExistingUser: boolean };
  apiKey?: { id: string; secret?: string; fromEnv: boolean };
};

function configuredOwner(): { email: string; password: string } | undefined {
  const { MEDIABIT_BOOTSTRAP_EMAIL: email, MEDIABIT_BOOTSTRAP_PASSWORD: password } = env();
  if (Boolean(email) !== Boolean(password)) {
    throw new Error("invalid settings: set both MEDIABIT_BOOTSTRAP_EMAIL and MEDIABIT_BOOTSTRAP_PASSWORD, or neither");
  }
  return email && password ? { email, password } : undefined;
}

export async function bootstrap(): Promise<BootstrapResult> {
  const prisma = await db();
  const configuredKey = env().MEDIABIT_BOOTSTRAP_KEY;
  const owner = configuredOwner();
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_ID})`;
    const result: BootstrapResult = { createdOrganization: false };
    let project = await tx.project.findFirst({ orderBy: { createdAt: "asc" } });
    if (!project) {
      const orgId = newId("org");
      await tx.organization.create({ data: { id: orgId, name: "Mediabit" } });
      project = await tx.project.create({ data: { id: newId("prj"), orgId, name: "Default", alias: "default" } });
      result.createdOrganization = true;
    }
    // Also repairs databases from versions that left this organisation ownerless when a bootstrap key was set.
    if ((await tx.membership.count({ where: { orgId: project.orgId } })) === 0) {
      const email = owner?.email ?? DEV_LOGIN_EMAIL;
      const existing = await tx.user.findUnique({ where: { email } });
      let userId = existing?.id;
      if (!userId) {
        const password = owner?.password ?? randomBytes(12).toString("base64url");
        userId = newId("usr");
        await tx.user.create({ data: { id: userId, email, name: owner ? null : "Admin", passwordHash: await hashPassword(password) } });
        if (!owner) result.login = { email, password };
      }
      await tx.membership.create({ data: { orgId: project.orgId, userId, role: "owner" } });
      if (owner || existing) result.owner = { email, isExistingUser: Boolean(existing) };
    }
    if ((await tx.apiKey.count()) > 0) return result;
    if (!configuredKey && !result.createdOrganization) return result;
    const secret = configuredKey ?? generateKeySecret();
    const key = await tx.apiKey.create({
      data: { id: newId("key"), projectId: project.id, name: "Bootstrap key", prefix: displayPrefix(secret), hash: sha256Hex(secret), admin: true },
    });
    result.apiKey = { id: key.id, secret: configuredKey ? undefined : secret, fromEnv: Boolean(configuredKey) };
    return result;
  });
}

export function describeBootstrap(result: BootstrapResult, baseUrl: string): string[] {
  const lines: string[] = [];
  if (result.login) {
    lines.push(`Dashboard login (shown once): ${result.login.email} / ${result.login.password}  →  ${baseUrl}/login`);
  }
  if (result.owner) lines.push(`${result.owner.email} is the owner of the first organisation${result.owner.isExistingUser ? " (an existing account)" : " (MEDIABIT_BOOTSTRAP_EMAIL)"}.`);
  if (result.apiKey?.secret) lines.push(`API key (shown once): ${result.apiKey.secret}`);
  if (result.apiKey?.fromEnv) lines.push(`MEDIABIT_BOOTSTRAP_KEY installed as API key ${result.apiKey.id}.`);
  return lines;
}
