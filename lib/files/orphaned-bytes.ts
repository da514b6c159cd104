// Bytes no row names any more: a file's bytes are removed after the transaction that deleted or replaced its row
// commits, so a process that dies in between leaves them behind. The maintenance loop walks the store a batch at a
// time and removes, under `projects/<p>/files/<id>/`, objects whose file has no row, or whose ready single-object
// file now names another key. Only objects older than ORPHAN_MIN_AGE_MS, so nothing being published is touched.
import { db } from "@/lib/db/client";
import { parseObjectKey, type ParsedObjectKey } from "@/lib/storage/object-key";
import type { Store } from "@/lib/storage/store-types";
import { getStore } from "@/lib/storage/store";

/** Longer than any publishing transaction stays open: an object this old whose row is missing is not being written. */
export const ORPHAN_MIN_AGE_MS = 60 * 60_000;
/** Keys one pass reads from the listing; the next pass continues where this one stopped. */
export const ORPHAN_KEYS_PER_PASS = 1_000;
/** Objects one pass deletes at most (each costs a head and a delete). */
export const ORPHAN_DELETES_PER_PASS = 100;

export type OrphanSweep = { examined: number; removed: number; finished: boolean };

/** Where the walk of the store stands, per process; a new store (tests) starts a new walk. */
let cursor: { store: Store; keys: AsyncIterator<string> } | undefined;

async function nextBatch(store: Store, size: number): Promise<{ keys: string[]; finished: boolean }> {
  if (cursor?.store !== store) cursor = { store, keys: store.list("projects/")[Symbol.asyncIterator]() };
  const keys: string[] = [];
  while (keys.length < size) {
    const next = await cursor.keys.next();
    if (next.done) {
      cursor = undefined;
      return { keys, finished: true };
    }
    keys.push(next.value);
  }
  return { keys, finished: false };
}

/** The keys of `batch` no row accounts for: their file is gone, or is a ready single object stored under another key. */
async function unclaimedKeys(batch: (ParsedObjectKey & { key: string })[]): Promise<string[]> {
  const prisma = await db();
  const fileIds = [...new Set(batch.map((entry) => entry.fileId))];
  const [files, uploads] = await Promise.all([
    prisma.file.findMany({ where: { id: { in: fileIds } }, select: { id: true, projectId: true, status: true, storageKey: true, packageDir: true } }),
    // An upload still on its way may already have bytes under the file id it will publish as.
    prisma.upload.findMany({
      where: { status: { in: ["waiting", "uploading"] }, OR: [{ fileId: { in: fileIds } }, { storageKey: { in: batch.map((entry) => entry.key) } }] },
      select: { fileId: true, storageKey: true },
    }),
  ]);
  const rows = new Map(files.map((file) => [file.id, file]));
  const uploading = new Set(uploads.flatMap((upload) => [upload.fileId, upload.storageKey]).filter((value): value is string => value !== null));
  return batch
    .filter(({ key, fileId, projectId }) => {
      if (uploading.has(fileId) || uploading.has(key)) return false;
      const row = rows.get(fileId);
      if (!row) return true;
      // A package owns everything under its prefix; a file still processing may be writing there.
      if (row.projectId !== projectId || row.packageDir !== null || row.status !== "ready" || row.storageKey === null) return false;
      return row.storageKey !== key;
    })
    .map(({ key }) => key);
}

/**
 * One bounded pass: reads up to ORPHAN_KEYS_PER_PASS keys of the store's walk, deletes at most ORPHAN_DELETES_PER_PASS
 * orphans among them that are older than ORPHAN_MIN_AGE_MS. Safe in several processes at once: a file id never returns
 * once its row is gone, and a replaced file's old key is never its current one again.
 */
export async function sweepOrphanedBytes(options: { now?: number; keysPerPass?: number } = {}): Promise<OrphanSweep> {
  const { now = Date.now(), keysPerPass = ORPHAN_KEYS_PER_PASS } = options;
  const store = getStore();
  const { keys, finished } = await nextBatch(store, keysPerPass);
  const parsed = keys.flatMap((key) => {
    const entry = parseObjectKey(key);
    return entry ? [{ ...entry, key }] : [];
  });
  if (parsed.length === 0) return { examined: keys.length, removed: 0, finished };
  let removed = 0;
  for (const key of await unclaimedKeys(parsed)) {
    if (removed === ORPHAN_DELETES_PER_PASS) break;
    const info = await store.head(key);
    if (!info || now - info.lastModified.getTime() < ORPHAN_MIN_AGE_MS) continue;
    await store.delete(key);
    removed++;
  }
  return { examined: keys.length, removed, finished };
}
