// First start: an organisation, a project, a dashboard login and an API key, so the app is usable
// with no browser step. With MEDIABIT_BOOTSTRAP_KEY, that exact string becomes the first API key.
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
  login?: { email: string; password: string };
  apiKey?: { id: string; secret?: string; fromEnv: boolean };
};

export async function bootstrap(): Promise<BootstrapResult> {
  const prisma = await db();
  const configuredKey = env().MEDIABIT_BOOTSTRAP_KEY;
  const password = randomBytes(9).toString("base64url");
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_ID})`;
    const result: BootstrapResult = { createdOrganization: false };
    let project = await tx.project.findFirst({ orderBy: { createdAt: "asc" } });
    if (!project) {
      const orgId = newId("org");
      await tx.organization.create({ data: { id: orgId, name: "Mediabit" } });
      project = await tx.project.create({ data: { id: newId("prj"), orgId, name: "Default", alias: "default" } });
      result.createdOrganization = true;
      if (!configuredKey) {
        const user = await tx.user.create({ data: { id: newId("usr"), email: DEV_LOGIN_EMAIL, name: "Admin", passwordHash } });
        await tx.membership.create({ data: { orgId, userId: user.id, role: "owner" } });
        result.login = { email: DEV_LOGIN_EMAIL, password };
      }
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
  if (result.apiKey?.secret) lines.push(`API key (shown once): ${result.apiKey.secret}`);
  if (result.apiKey?.fromEnv) lines.push(`MEDIABIT_BOOTSTRAP_KEY installed as API key ${result.apiKey.id}.`);
  return lines;
}
