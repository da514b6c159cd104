// API keys: project-scoped, shown once, stored as a sha256 hash, revocable.
import { AppError, notFound } from "@/lib/api/errors";
import { sha256Hex } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import type { ApiKey } from "@/lib/db/generated/client";
import { canonicalId, newId, randomToken } from "@/lib/ids";
import type { TCreateKey, TUpdateKey } from "@/lib/keys/schemas";

export type ProjectScope = { projectId: string; orgId: string };
export type CreatedKey = { key: ApiKey; secret: string };

const KEY_PREFIX = "ittybit_live_";
// Seen-at writes are throttled: one per key per minute is enough for "last used".
const LAST_USED_RESOLUTION_MS = 60_000;

export function generateKeySecret(): string {
  return `${KEY_PREFIX}${randomToken(40)}`;
}

export function displayPrefix(secret: string): string {
  return `${secret.slice(0, secret.startsWith(KEY_PREFIX) ? KEY_PREFIX.length + 4 : 8)}…`;
}

export async function createKey(scope: ProjectScope, input: TCreateKey & { secret?: string }): Promise<CreatedKey> {
  const prisma = await db();
  const secret = input.secret ?? generateKeySecret();
  const key = await prisma.apiKey.create({
    data: {
      id: newId("key"),
      projectId: scope.projectId,
      name: input.name ?? "API key",
      prefix: displayPrefix(secret),
      hash: sha256Hex(secret),
      admin: input.admin ?? false,
    },
  });
  return { key, secret };
}

export async function listKeys(scope: ProjectScope, options: { includeRevoked?: boolean } = {}): Promise<ApiKey[]> {
  const prisma = await db();
  return prisma.apiKey.findMany({
    where: { projectId: scope.projectId, ...(options.includeRevoked ? {} : { status: { not: "revoked" } }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

export async function getKeyOrThrow(scope: ProjectScope, id: string): Promise<ApiKey> {
  const prisma = await db();
  const key = await prisma.apiKey.findFirst({ where: { id: canonicalId(id), projectId: scope.projectId, status: { not: "revoked" } } });
  if (!key) throw notFound("key_not_found", "API key", id);
  return key;
}

export async function updateKey(scope: ProjectScope, id: string, input: TUpdateKey): Promise<ApiKey> {
  const key = await getKeyOrThrow(scope, id);
  const prisma = await db();
  return prisma.apiKey.update({ where: { id: key.id }, data: { name: input.name, status: input.status } });
}

/** Revoking keeps the row (so a later request with that key hears "revoked", not "unknown"). */
export async function revokeKey(scope: ProjectScope, id: string, options: { callerKeyId?: string } = {}): Promise<ApiKey> {
  const key = await getKeyOrThrow(scope, id);
  if (options.callerKeyId === key.id) {
    throw new AppError("conflict", "A key cannot revoke itself; use another key of this project, or the dashboard.");
  }
  const prisma = await db();
  return prisma.apiKey.update({ where: { id: key.id }, data: { status: "revoked", revokedAt: new Date() } });
}

export type AuthenticatedKey = {
  keyId: string;
  projectId: string;
  orgId: string;
  admin: boolean;
  apiVersion: string;
  projectAlias: string;
};

const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

type KeyWithProject = {
  id: string;
  projectId: string;
  admin: boolean;
  status: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  orgId: string;
  apiVersion: string;
  alias: string;
};

/** Resolves `Authorization: Bearer <key>`; every way of failing says which way it failed. */
export async function authenticateKey(authorization: string | null): Promise<AuthenticatedKey> {
  if (!authorization?.trim()) {
    throw new AppError("token_missing", "No API key. Send it as `Authorization: Bearer <API key>`.");
  }
  const match = BEARER.exec(authorization.trim());
  if (!match?.[1]) {
    throw new AppError("token_invalid", "Malformed Authorization header: expected `Authorization: Bearer <API key>`.");
  }
  const prisma = await db();
  // One round trip for the key and its project: every API request starts here.
  const [key] = await prisma.$queryRaw<KeyWithProject[]>`
    SELECT k.id, k.project_id AS "projectId", k.admin, k.status::text AS status, k.last_used_at AS "lastUsedAt",
           k.revoked_at AS "revokedAt", p.org_id AS "orgId", p.api_version AS "apiVersion", p.alias
      FROM api_keys k JOIN projects p ON p.id = k.project_id
     WHERE k.hash = ${sha256Hex(match[1])}`;
  if (!key) throw new AppError("token_invalid", "This API key is not recognised. Check that you copied the whole key.");
  if (key.status === "revoked") {
    throw new AppError("token_invalid", `This API key was revoked on ${key.revokedAt?.toISOString() ?? "an earlier date"}. Create a new key.`);
  }
  if (key.status === "paused") throw new AppError("token_invalid", "This API key is paused. Re-enable it in the dashboard or use another key.");
  const now = Date.now();
  if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { keyId: key.id, projectId: key.projectId, orgId: key.orgId, admin: key.admin, apiVersion: key.apiVersion, projectAlias: key.alias };
}
