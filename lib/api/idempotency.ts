// `Idempotency-Key` on POST (conventions.md §6, IETF draft-ietf-httpapi-idempotency-key-header):
// one record per API key and Idempotency-Key (another key's same value is a new request); a replay returns
// the first response, a different request with the same key is a 422, a retry while the first is running is a 409.
// One-time secrets are never stored: the replay carries null and says the secret was shown once.
import { AppError } from "@/lib/api/errors";
import type { ApiResponse } from "@/lib/api/render";
import { sha256Hex } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";

const RETENTION_MS = 24 * 60 * 60 * 1000;
// A "running" record this old belongs to a process that died mid-request: let the retry through.
const STALE_RUNNING_MS = 5 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

/** Who made the request: a record belongs to one API key of one project. */
export type IdempotencyOwner = { projectId: string; apiKeyId: string };

export type IdempotencyClaim = { kind: "claimed" } | { kind: "replay"; response: ApiResponse };

export function fingerprintRequest(method: string, path: string, body: string): string {
  return sha256Hex(`${method}\n${path}\n${body}`);
}

// Stored bodies name the origin through this marker, so a replay gets its own request's origin and no URL built
// from request headers is stored. JSON.stringify escapes control characters, so a raw U+0001 never occurs in its output.
const ORIGIN_MARKER = "\u0001origin\u0001";

function storedBody(body: unknown, origin: string): string {
  return JSON.stringify(body).replaceAll(origin, ORIGIN_MARKER);
}

function replayedBody(stored: string, origin: string): unknown {
  return JSON.parse(stored.replaceAll(ORIGIN_MARKER, origin));
}

export async function claimIdempotencyKey(owner: IdempotencyOwner, key: string, fingerprint: string, origin: string): Promise<IdempotencyClaim> {
  const { projectId, apiKeyId } = owner;
  if (key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new AppError("request_invalid", `Idempotency-Key must be 1–${MAX_KEY_LENGTH} visible ASCII characters.`, [
      { field: "Idempotency-Key", message: "invalid header value" },
    ]);
  }
  const prisma = await db();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await prisma.idempotencyRecord.create({ data: { projectId, apiKeyId, key, fingerprint } });
      return { kind: "claimed" };
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    }
    const existing = await prisma.idempotencyRecord.findUnique({ where: { projectId_apiKeyId_key: { projectId, apiKeyId, key } } });
    if (!existing) continue; // released between our insert and read: try again
    const age = Date.now() - existing.createdAt.getTime();
    const expired = age > RETENTION_MS;
    const abandoned = existing.state === "running" && age > STALE_RUNNING_MS;
    if (expired || abandoned) {
      await prisma.idempotencyRecord.deleteMany({ where: { projectId, apiKeyId, key, createdAt: existing.createdAt } });
      continue;
    }
    if (existing.fingerprint !== fingerprint) {
      throw new AppError(
        "idempotency_conflict",
        "This Idempotency-Key was already used with a different request (method, path or body). Use a new key for a new request.",
      );
    }
    if (existing.state === "running") {
      throw new AppError("idempotency_in_progress", "A request with this Idempotency-Key is still being processed. Retry shortly.");
    }
    return {
      kind: "replay",
      response: {
        status: 200,
        body: existing.body === null ? null : replayedBody(existing.body, origin),
        headers: { ...((existing.headers as Record<string, string> | null) ?? {}), "Idempotent-Replayed": "true" },
      },
    };
  }
  throw new AppError("idempotency_in_progress", "This Idempotency-Key is contended. Retry shortly.");
}

/** Stores `response.replayBody` when the response carries a one-time secret (see objectResponse's `oneTime`). */
export async function completeIdempotencyKey(owner: IdempotencyOwner, key: string, response: ApiResponse, origin: string): Promise<void> {
  const prisma = await db();
  const body = response.replayBody !== undefined ? response.replayBody : response.body;
  await prisma.idempotencyRecord.update({
    where: { projectId_apiKeyId_key: { ...owner, key } },
    data: { state: "done", status: response.status, body: storedBody(body, origin), headers: response.headers },
  });
}

/** Failed requests are not remembered: the client may fix the request and retry with the same key. */
export async function releaseIdempotencyKey(owner: IdempotencyOwner, key: string): Promise<void> {
  const prisma = await db();
  await prisma.idempotencyRecord.deleteMany({ where: { ...owner, key, state: "running" } });
}

export async function purgeExpiredIdempotencyKeys(now = new Date()): Promise<number> {
  const prisma = await db();
  const { count } = await prisma.idempotencyRecord.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - RETENTION_MS) } } });
  return count;
}
