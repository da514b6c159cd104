// API keys: project-scoped, shown once, stored as a sha256 hash, revocable.
import { AppError, notFound } from "@/lib/api/errors";
import { sha256Hex } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import type { ApiKey } from "@/lib/db/generated/client";
import { canonicalId, newId, randomToken } from "@/lib/ids";
import { forgetCachedKeys, keyCacheGeneration, recallKey, rememberKey } from "@/lib/keys/key-cache";
import type { TCreateKey, TUpdateKey } from "@/lib/keys/schemas";

export type ProjectScope = { projectId: string; orgId: string };
export type CreatedKey = { key: ApiKey; secret: string };

/**
 * Who changes a key: an API key (admin or not) or a dashboard member (owner or not). Only admin keys and
 * organisation owners change admin keys; without an actor (bootstrap, tests) nothing is checked.
 */
export type KeyActor = { kind: "key"; keyId: string; admin: boolean } | { kind: "member"; owner: boolean };

const KEY_PREFIX = "ittybit_live_";
// Seen-at writes are throttled: one per key per minute is enough for "last used".
const LAST_USED_RESOLUTION_MS = 60_000;
// Characters of a custom (non-generated) secret a listing may show.
const CUSTOM_VISIBLE = 4;

export function generateKeySecret(): string {
  return `${KEY_PREFIX}${randomToken(40)}`;
}

/** Enough to tell keys apart, never enough to matter: `ittybit_live_` + 4, or at most 4 characters of a custom key. */
export function displayPrefix(secret: string): string {
  if (secret.startsWith(KEY_PREFIX)) return `${secret.slice(0, KEY_PREFIX.length + 4)}…`;
  return `${secret.slice(0, Math.min(CUSTOM_VISIBLE, Math.floor(secret.length / 4)))}…`;
}

/** Rows stored before prefixes were shortened kept 8 characters of custom keys: show them cut to the same rule. */
function visibleKey(key: ApiKey): ApiKey {
  const stored = key.prefix.replace(/…$/, "");
  const prefix = stored.startsWith(KEY_PREFIX) ? `${stored.slice(0, KEY_PREFIX.length + 4)}…` : `${stored.slice(0, CUSTOM_VISIBLE)}…`;
  return prefix === key.prefix ? key : { ...key, prefix };
}

export function keyActor(auth: { keyId: string; admin: boolean }): KeyActor {
  return { kind: "key", keyId: auth.keyId, admin: auth.admin };
}

function assertMayChangeAdminKeys(actor: KeyActor | undefined, what: string): void {
  if (!actor) return;
  if (actor.kind === "key" && !actor.admin) throw new AppError("admin_required", `Only an admin key can ${what}.`);
  if (actor.kind === "member" && !actor.owner) throw new AppError("owner_required", `Only an owner of the organisation can ${what}.`);
}

export function assertMayCreateKey(actor: KeyActor | undefined, input: { admin?: boolean }): void {
  if (input.admin) assertMayChangeAdminKeys(actor, "create an admin key");
}

export async function createKey(scope: ProjectScope, input: TCreateKey & { secret?: string }, options: { actor?: KeyActor } = {}): Promise<CreatedKey> {
  assertMayCreateKey(options.actor, input);
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
  const keys = await prisma.apiKey.findMany({
    where: { projectId: scope.projectId, ...(options.includeRevoked ? {} : { status: { not: "revoked" } }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return keys.map(visibleKey);
}

async function findKeyOrThrow(scope: ProjectScope, id: string): Promise<ApiKey> {
  const prisma = await db();
  const key = await prisma.apiKey.findFirst({ where: { id: canonicalId(id), projectId: scope.projectId, status: { not: "revoked" } } });
  if (!key) throw notFound("key_not_found", "API key", id);
  return key;
}

export async function getKeyOrThrow(scope: ProjectScope, id: string): Promise<ApiKey> {
  return visibleKey(await findKeyOrThrow(scope, id));
}

type KeyChange = { status?: "active" | "paused" | "revoked"; name?: string };

/**
 * Changes a key in one transaction that locks its organisation, so two requests cannot each take away one of the
 * last two admin keys. Through the API, the organisation's last active admin key is never paused or revoked.
 */
async function changeKey(scope: ProjectScope, id: string, change: KeyChange, actor: KeyActor | undefined, verb: string): Promise<ApiKey> {
  const found = await findKeyOrThrow(scope, id);
  if (found.admin) assertMayChangeAdminKeys(actor, `${verb} an admin key`);
  const prisma = await db();
  const updated = await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${scope.orgId} FOR UPDATE`;
    const key = await tx.apiKey.findFirst({ where: { id: found.id, projectId: scope.projectId, status: { not: "revoked" } } });
    if (!key) throw notFound("key_not_found", "API key", id);
    const disables = change.status !== undefined && change.status !== "active" && key.status === "active";
    if (key.admin && disables && actor?.kind === "key") {
      const others = await tx.apiKey.count({ where: { admin: true, status: "active", id: { not: key.id }, project: { orgId: scope.orgId } } });
      if (others === 0) {
        throw new AppError(
          "conflict",
          `${key.id} is the organisation's last active admin key: it cannot be ${change.status === "revoked" ? "revoked" : "paused"}. Create another admin key first, or use the dashboard.`,
        );
      }
    }
    return tx.apiKey.update({
      where: { id: key.id },
      data: { name: change.name, status: change.status, ...(change.status === "revoked" ? { revokedAt: new Date() } : {}) },
    });
  });
  // After the commit: a lookup that read the key before it cannot store it any more (key-cache.ts).
  forgetCachedKeys();
  return visibleKey(updated);
}

export async function updateKey(scope: ProjectScope, id: string, input: TUpdateKey, options: { actor?: KeyActor } = {}): Promise<ApiKey> {
  return changeKey(scope, id, { name: input.name, status: input.status }, options.actor, input.status === "paused" ? "pause" : "change");
}

/** Revoking keeps the row (so a later request with that key hears "revoked", not "unknown"). */
export async function revokeKey(scope: ProjectScope, id: string, options: { actor?: KeyActor } = {}): Promise<ApiKey> {
  const actor = options.actor;
  if (actor?.kind === "key" && canonicalId(id) === actor.keyId) {
    throw new AppError("conflict", "A key cannot revoke itself; use another key of this project, or the dashboard.");
  }
  return changeKey(scope, id, { status: "revoked" }, actor, "revoke");
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
  const hash = sha256Hex(match[1]);
  const now = Date.now();
  const cached = recallKey<AuthenticatedKey>(hash, now);
  if (cached) {
    if (isLastUsedStale(cached.lastUsedAt, now)) {
      cached.lastUsedAt = new Date(now);
      await touchKey(cached.value.keyId, cached.lastUsedAt);
    }
    return { ...cached.value };
  }
  const generation = keyCacheGeneration();
  const prisma = await db();
  // One round trip for the key and its project: every API request not answered from the cache starts here.
  const [key] = await prisma.$queryRaw<KeyWithProject[]>`
    SELECT k.id, k.project_id AS "projectId", k.admin, k.status::text AS status, k.last_used_at AS "lastUsedAt",
           k.revoked_at AS "revokedAt", p.org_id AS "orgId", p.api_version AS "apiVersion", p.alias
      FROM api_keys k JOIN projects p ON p.id = k.project_id
     WHERE k.hash = ${hash}`;
  if (!key) throw new AppError("token_invalid", "This API key is not recognised. Check that you copied the whole key.");
  if (key.status === "revoked") {
    throw new AppError("token_invalid", `This API key was revoked on ${key.revokedAt?.toISOString() ?? "an earlier date"}. Create a new key.`);
  }
  if (key.status === "paused") throw new AppError("token_invalid", "This API key is paused. Re-enable it in the dashboard or use another key.");
  let lastUsedAt = key.lastUsedAt;
  if (isLastUsedStale(lastUsedAt, now)) {
    lastUsedAt = new Date(now);
    await touchKey(key.id, lastUsedAt);
  }
  const value: AuthenticatedKey = { keyId: key.id, projectId: key.projectId, orgId: key.orgId, admin: key.admin, apiVersion: key.apiVersion, projectAlias: key.alias };
  // Only active keys are remembered: unknown, paused and revoked keys are looked up every time.
  rememberKey(hash, { value: { ...value }, lastUsedAt }, generation, now);
  return value;
}

function isLastUsedStale(lastUsedAt: Date | null, now: number): boolean {
  return !lastUsedAt || now - lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS;
}

async function touchKey(id: string, at: Date): Promise<void> {
  const prisma = await db();
  await prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
}
