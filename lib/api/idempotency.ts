// `Idempotency-Key` on POST (conventions.md §6, IETF draft-ietf-httpapi-idempotency-key-header):
// one record per project and key; a replay returns the first response, a different request with
// the same key is a 422, a retry while the first is running is a 409.
import { AppError } from "@/lib/api/errors";
import type { ApiResponse } from "@/lib/api/render";
import { sha256Hex } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";

const RETENTION_MS = 24 * 60 * 60 * 1000;
// A "running" record this old belongs to a process that died mid-request: let the retry through.
const STALE_RUNNING_MS = 5 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

export type IdempotencyClaim = { kind: "claimed" } | { kind: "replay"; response: ApiResponse };

export function fingerprintRequest(method: string, path: string, body: string): string {
  return sha256Hex(`${method}\n${path}\n${body}`);
}

export async function claimIdempotencyKey(projectId: string, key: string, fingerprint: string): Promise<IdempotencyClaim> {
  if (key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new AppError("request_invalid", `Idempotency-Key must be 1–${MAX_KEY_LENGTH} visible ASCII characters.`, [
      { field: "Idempotency-Key", message: "invalid header value" },
    ]);
  }
  const prisma = await db();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await prisma.idempotencyRecord.create({ data: { projectId, key, fingerprint } });
      return { kind: "claimed" };
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    }
    const existing = await prisma.idempotencyRecord.findUnique({ where: { projectId_key: { projectId, key } } });
    if (!existing) continue; // released between our insert and read: try again
    const age = Date.now() - existing.createdAt.getTime();
    const expired = age > RETENTION_MS;
    const abandoned = existing.state === "running" && age > STALE_RUNNING_MS;
    if (expired || abandoned) {
      await prisma.idempotencyRecord.deleteMany({ where: { projectId, key, createdAt: existing.createdAt } });
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
        body: existing.body === null ? null : JSON.parse(existing.body),
        headers: { ...((existing.headers as Record<string, string> | null) ?? {}), "Idempotent-Replayed": "true" },
      },
    };
  }
  throw new AppError("idempotency_in_progress", "This Idempotency-Key is contended. Retry shortly.");
}

export async function completeIdempotencyKey(projectId: string, key: string, response: ApiResponse): Promise<void> {
  const prisma = await db();
  await prisma.idempotencyRecord.update({
    where: { projectId_key: { projectId, key } },
    data: { state: "done", status: response.status, body: JSON.stringify(response.body), headers: response.headers },
  });
}

/** Failed requests are not remembered: the client may fix the request and retry with the same key. */
export async function releaseIdempotencyKey(projectId: string, key: string): Promise<void> {
  const prisma = await db();
  await prisma.idempotencyRecord.deleteMany({ where: { projectId, key, state: "running" } });
}

export async function purgeExpiredIdempotencyKeys(now = new Date()): Promise<number> {
  const prisma = await db();
  const { count } = await prisma.idempotencyRecord.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - RETENTION_MS) } } });
  return count;
}
