// Housekeeping the engine runs about once a minute, safe in any number of processes at once.
import { opendir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { purgeExpiredIdempotencyKeys } from "@/lib/api/idempotency";
import { purgeOldAuthAttempts } from "@/lib/auth/rate-limit";
import { recheckPendingDomains } from "@/lib/domains/domains";
import { sweepOrphanedBytes } from "@/lib/files/orphaned-bytes";
import { scratchDir } from "@/lib/files/scratch";
import { deleteExpiredMedia } from "@/lib/media-items/media";
import { getStore } from "@/lib/storage/store";
import { sweepChunkedUploads } from "@/lib/uploads/chunked";
import { sweepExpiredUploads } from "@/lib/uploads/tus";
import { sweepDirectUploads } from "@/lib/uploads/s3-direct";

// Longer than any single step may run, so a live worker's scratch and staged bytes are never touched.
const ABANDONED_AFTER_MS = 6 * 3600 * 1000;

async function sweepScratch(now = Date.now()): Promise<number> {
  let removed = 0;
  let dir;
  try {
    dir = await opendir(scratchDir());
  } catch {
    return 0;
  }
  for await (const entry of dir) {
    const full = path.join(scratchDir(), entry.name);
    const info = await stat(full).catch(() => null);
    if (info && now - info.mtimeMs > ABANDONED_AFTER_MS) {
      await rm(full, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

export async function runMaintenance(): Promise<void> {
  await deleteExpiredMedia();
  await purgeExpiredIdempotencyKeys();
  await purgeOldAuthAttempts();
  await getStore().sweepAbandoned(ABANDONED_AFTER_MS);
  await sweepScratch();
  await sweepExpiredUploads();
  // Bytes whose row went away while their removal was pending (a crash after the commit), a batch per run.
  await sweepOrphanedBytes();
  // What browser uploads straight to the bucket left there: staging objects and multipart uploads past 24 h.
  await sweepDirectUploads();
  // PUT uploads: resumable ones idle for 24 h, and their chunk files.
  await sweepChunkedUploads();
  // Custom domains waiting for their CNAME: a batch re-checked every few minutes, so they turn active on their own.
  await recheckPendingDomains();
}
