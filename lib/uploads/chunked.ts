// Resumable PUT uploads (spec/uploads.md §3): chunks of one upload, named by (project, path, total), arrive in any order,
// in parallel and retried; each lands at its offset in one sparse file, and the chunk that completes the bytes publishes.
import { constants, createReadStream } from "node:fs";
import { mkdir, open, opendir, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { Upload } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { isUniqueViolation } from "@/lib/files/files";
import { READ_BUFFER_BYTES, writeScratch } from "@/lib/files/scratch";
import { newId } from "@/lib/ids";
import { getStore } from "@/lib/storage/store";
import { coveredBytes, isComplete, mergeRange, overlaps, rangeLength, readRanges, type TContentRange, type TRanges } from "@/lib/uploads/content-range";
import { publishUpload, type PublishedUpload } from "@/lib/uploads/publish";

/** An unfinished chunked upload is kept this long after its last chunk; a finished one answers retried chunks as long. */
export const CHUNKED_RESUMABLE_FOR_MS = 24 * 3600 * 1000;

/** Where a PUT puts its bytes, and who sent them. */
export type TPutTarget = { projectId: string; folder: string | null; filename: string; path: string; apiKeyId: string | null; profile: string };

export type ChunkOutcome = { kind: "partial"; upload: Upload; ranges: TRanges } | { kind: "published"; published: PublishedUpload };

export function chunksDir(): string {
  return path.join(env().dataDir, "uploads", "chunks");
}

function chunksFile(uploadId: string): string {
  return path.join(chunksDir(), uploadId);
}

// ---- Locks: one holder at a time per name, within this process (chunk files live on this machine's disk). ----

const held = new Map<string, Promise<void>>();

/** Runs `work` once every earlier holder of `name` has finished. */
export async function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const previous = held.get(name) ?? Promise.resolve();
  let release!: () => void;
  const mine = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
  held.set(name, mine);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (held.get(name) === mine) held.delete(name);
  }
}

/** Uploads to one path publish one at a time, so each replacement reads the version the previous one wrote. */
export function pathLockName(projectId: string, filePath: string): string {
  return `path:${projectId}:${filePath}`;
}

// ---- Byte comparison and positional copies, a buffer at a time. ----

async function readExactly(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

/** Whether `source` holds exactly the bytes of `handle` from `position` on, for the source's length. */
async function sameBytes(source: AsyncIterable<Buffer>, handle: FileHandle, position: number): Promise<boolean> {
  let at = position;
  for await (const chunk of source) {
    const stored = await readExactly(handle, chunk.length, at);
    if (!stored.equals(chunk)) return false;
    at += chunk.length;
  }
  return true;
}

function readPart(file: string, start: number, end: number): Readable {
  return createReadStream(file, { start, end, highWaterMark: READ_BUFFER_BYTES });
}

async function writeAt(handle: FileHandle, source: AsyncIterable<Buffer>, position: number): Promise<void> {
  let at = position;
  for await (const chunk of source) {
    let done = 0;
    while (done < chunk.length) done += (await handle.write(chunk, done, chunk.length - done, at + done)).bytesWritten;
    at += chunk.length;
  }
}

/** The upload's sparse file, created (and its directory entry made durable) on first use; `created` says it was. */
async function openChunksFile(uploadId: string): Promise<{ handle: FileHandle; created: boolean }> {
  const file = chunksFile(uploadId);
  try {
    return { handle: await open(file, "r+"), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(chunksDir(), { recursive: true });
  const handle = await open(file, constants.O_RDWR | constants.O_CREAT, 0o644);
  const dir = await open(chunksDir(), "r");
  await dir.sync().finally(() => dir.close());
  return { handle, created: true };
}

// ---- The upload row. ----

function chunkKey(target: TPutTarget, total: number): string {
  return `${target.projectId}:${target.path}:${total}`;
}

/** The upload of (project, path, total): found, or created; a concurrent creator's row wins the race (unique chunk_key). */
async function openUpload(target: TPutTarget, total: number): Promise<Upload> {
  const prisma = await db();
  const key = chunkKey(target, total);
  for (;;) {
    const found = await prisma.upload.findUnique({ where: { chunkKey: key } });
    if (found) return found;
    try {
      return await prisma.upload.create({
        data: {
          id: newId("upl"),
          projectId: target.projectId,
          kind: "chunked",
          profile: target.profile,
          apiKeyId: target.apiKeyId,
          createdBy: target.apiKeyId,
          status: "uploading",
          urlExpiresAt: new Date(Date.now() + CHUNKED_RESUMABLE_FOR_MS),
          folder: target.folder,
          filename: target.filename,
          chunkKey: key,
          totalBytes: BigInt(total),
        },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}

/** Frees the (project, path, total) name for a new upload; the old row keeps its history. */
async function retire(upload: Upload, data: { status?: "failed"; error?: string } = {}): Promise<void> {
  const prisma = await db();
  await prisma.upload.updateMany({ where: { id: upload.id, chunkKey: upload.chunkKey }, data: { chunkKey: null, ...data } });
}

/**
 * Adds [start, end] to the received ranges under the row's lock, so parallel chunks never drop each other's ranges.
 * `restart`: the chunk file was lost, so only this chunk's range is held now.
 */
async function recordRange(uploadId: string, range: TContentRange, restart: boolean): Promise<Upload> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ ranges: unknown; status: string }[]>`SELECT ranges, status::text AS status FROM uploads WHERE id = ${uploadId} FOR UPDATE`;
    if (!row || (row.status !== "waiting" && row.status !== "uploading")) {
      throw new AppError("conflict", "This upload expired or failed while the chunk arrived: send the chunk again to start a new upload.");
    }
    const ranges = mergeRange(restart ? [] : readRanges(row.ranges), range.start, range.end);
    return tx.upload.update({ where: { id: uploadId }, data: { ranges, bytesReceived: BigInt(coveredBytes(ranges)), lastByteAt: new Date(), status: "uploading" } });
  });
}

// ---- One chunk. ----

const RETIRED = Symbol("retired");

/**
 * Streams one chunk's body to scratch, then adds it to its upload: 409 when it overlaps received bytes with other
 * bytes, `partial` until every byte is there, `published` (the file) by the chunk that completes it or by any
 * chunk retried afterwards that matches the file. A chunk that does not match a finished upload starts a new one.
 */
export async function receiveChunk(target: TPutTarget, range: TContentRange, body: Readable, options: { signal?: AbortSignal } = {}): Promise<ChunkOutcome> {
  const length = rangeLength(range);
  const tooLong = () => new AppError("request_invalid", `The chunk carries more than the ${length} bytes its Content-Range names.`);
  const scratch = await writeScratch(body, {
    name: "chunk",
    signal: options.signal,
    check: (_batch, total) => (total > length ? tooLong() : undefined),
    tooLarge: () => new AppError("payload_too_large", `The chunk is larger than the largest file this server accepts (${env().MEDIABIT_MAX_FILE_BYTES} bytes).`),
  });
  try {
    if (scratch.size !== length) throw new AppError("request_invalid", `The chunk carries ${scratch.size} bytes but its Content-Range names ${length}.`);
    for (;;) {
      const upload = await openUpload(target, range.total);
      const outcome = await withLock(`upload:${upload.id}`, () => applyChunk(upload.id, target, range, scratch.path));
      if (outcome !== RETIRED) return outcome;
    }
  } finally {
    await scratch.remove();
  }
}

async function applyChunk(uploadId: string, target: TPutTarget, range: TContentRange, chunk: string): Promise<ChunkOutcome | typeof RETIRED> {
  const prisma = await db();
  const upload = await prisma.upload.findUniqueOrThrow({ where: { id: uploadId } });
  if (upload.status === "completed") {
    const published = await matchingCompletedFile(upload, range, chunk);
    if (published) return { kind: "published", published };
    await retire(upload);
    return RETIRED;
  }
  if (upload.status !== "waiting" && upload.status !== "uploading") {
    await retire(upload);
    return RETIRED;
  }

  const opened = await openChunksFile(upload.id);
  const handle = opened.handle;
  // Ranges without their file (removed by hand, or moved into the store by a publish whose transaction then failed)
  // hold no bytes: the upload goes on from this chunk, and the client's retries fill the rest in again.
  const restart = opened.created && readRanges(upload.ranges).length > 0;
  const received = restart ? [] : readRanges(upload.ranges);
  try {
    for (const [start, end] of overlaps(received, range.start, range.end)) {
      const part = readPart(chunk, start - range.start, end - range.start);
      if (!(await sameBytes(part, handle, start))) {
        part.destroy();
        throw new AppError("conflict", `Bytes ${start}-${end} of this upload already arrived with different content; nothing of this chunk was kept.`);
      }
    }
    if (coveredBytes(overlaps(received, range.start, range.end)) < rangeLength(range)) {
      await writeAt(handle, readPart(chunk, 0, rangeLength(range) - 1), range.start);
      await handle.datasync();
    }
  } finally {
    await handle.close();
  }
  const recorded = await recordRange(upload.id, range, restart);
  const ranges = readRanges(recorded.ranges);
  if (!isComplete(ranges, range.total)) return { kind: "partial", upload: recorded, ranges };
  return { kind: "published", published: await publishChunks(upload, target) };
}

/** The file a finished upload made, when the retried chunk holds the same bytes the file still has at that range. */
async function matchingCompletedFile(upload: Upload, range: TContentRange, chunk: string): Promise<PublishedUpload | null> {
  if (!upload.fileId || !upload.completedAt || Date.now() - upload.completedAt.getTime() > CHUNKED_RESUMABLE_FOR_MS) return null;
  const prisma = await db();
  const file = await prisma.file.findUnique({ where: { id: upload.fileId }, include: { project: { select: { alias: true } } } });
  if (!file?.storageKey || file.status !== "ready" || file.filesize !== BigInt(range.total)) return null;
  const stored = await getStore().get(file.storageKey, { start: range.start, end: range.end });
  const handle = await open(chunk, "r");
  try {
    return (await sameBytes(stored.body, handle, 0)) ? { file, upload, created: false } : null;
  } finally {
    stored.body.destroy();
    await handle.close();
  }
}

async function publishChunks(upload: Upload, target: TPutTarget): Promise<PublishedUpload> {
  const file = chunksFile(upload.id);
  try {
    const published = await withLock(pathLockName(target.projectId, target.path), () => publishUpload(upload.id, { path: file, size: Number(upload.totalBytes) }));
    await rm(file, { force: true });
    return published;
  } catch (error) {
    // Refused content: the upload is over, and the same path and size may start afresh.
    if (error instanceof AppError && error.status < 500) {
      await retire(upload, { status: "failed", error: error.message });
      await rm(file, { force: true });
    }
    throw error;
  }
}

// ---- Expiry. ----

/**
 * Marks PUT and chunked uploads idle for CHUNKED_RESUMABLE_FOR_MS as expired (freeing their name) and removes their
 * chunk files, then any chunk file whose upload is no longer in progress. Returns how many uploads expired.
 */
export async function sweepChunkedUploads(now = new Date()): Promise<number> {
  const prisma = await db();
  const cutoff = new Date(now.getTime() - CHUNKED_RESUMABLE_FOR_MS);
  // Simple PUTs are here too: one cut short by a crash while publishing stays `uploading` otherwise (its scratch bytes go with sweepScratch).
  const idle = { kind: { in: ["chunked", "put"] }, status: { in: ["waiting" as const, "uploading" as const] }, OR: [{ lastByteAt: { lt: cutoff } }, { lastByteAt: null, urlExpiresAt: { lt: now } }] };
  const candidates = await prisma.upload.findMany({ where: idle, select: { id: true }, take: 500 });
  let expired = 0;
  for (const { id } of candidates) {
    // Re-checked in the update: a chunk arriving since the read keeps its upload.
    const { count } = await prisma.upload.updateMany({ where: { id, ...idle }, data: { status: "expired", chunkKey: null } });
    if (count === 0) continue;
    await rm(chunksFile(id), { force: true });
    expired++;
  }
  await removeOrphanedChunkFiles();
  return expired;
}

/** Chunk files outlive their upload only after a crash or another process's sweep; they go once it is over. */
async function removeOrphanedChunkFiles(): Promise<void> {
  let dir;
  try {
    dir = await opendir(chunksDir());
  } catch {
    return;
  }
  const prisma = await db();
  for await (const entry of dir) {
    const upload = await prisma.upload.findUnique({ where: { id: entry.name }, select: { status: true } });
    if (upload?.status === "waiting" || upload?.status === "uploading") continue;
    await rm(path.join(chunksDir(), entry.name), { force: true });
  }
}
