// Scratch files in the data dir: bytes on their way in (downloads, uploads) are written here durably, then published
// into the store by a rename (local disk) or an upload (S3).
import { mkdir, open, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { env } from "@/lib/env";
import { randomToken } from "@/lib/ids";

export type Scratch = { path: string; size: number; contentType?: string; remove: () => Promise<void> };

/** Written bytes are flushed to disk in steps this large while the bytes keep coming, so durability costs no wait at the end. */
const SYNC_EVERY_BYTES = 16 * 1024 * 1024;
/** Reads this large cost far less CPU per byte than the 64 KiB default. */
export const READ_BUFFER_BYTES = 4 * 1024 * 1024;

/** Scratch space lives in the data dir, on the same disk as the local store, so publishing is a rename. */
export function scratchDir(): string {
  return path.join(env().dataDir, "tmp");
}

/**
 * Streams `body` into a new scratch file, flushed to disk when this resolves. `check` sees each batch's length before it
 * is written and may refuse it (the file is then removed and its error thrown); more than MEDIABIT_MAX_FILE_BYTES is
 * always refused, with `tooLarge`'s error.
 */
export async function writeScratch(
  body: Readable,
  options: { name: string; signal?: AbortSignal; check?: (length: number, total: number) => Error | undefined; tooLarge: () => Error },
): Promise<Scratch> {
  const max = env().MEDIABIT_MAX_FILE_BYTES;
  await mkdir(scratchDir(), { recursive: true });
  const file = path.join(scratchDir(), `${options.name}-${randomToken(8)}`);
  let size = 0;
  const countChunk = (length: number): Error | undefined => {
    size += length;
    if (size > max) return options.tooLarge();
    return options.check?.(length, size);
  };
  const handle = await open(file, "wx", 0o644);
  try {
    await pipeline(body, durableFileWriter(handle, countChunk), ...(options.signal ? [{ signal: options.signal }] : []));
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  } finally {
    // A close failing after a failed write must not hide the write's error; after success the data is synced.
    await handle.close().catch(() => undefined);
  }
  return { path: file, size, remove: () => rm(file, { force: true }) };
}

/**
 * Appends chunks to `handle` and flushes them to disk every SYNC_EVERY_BYTES on the thread pool while later chunks keep
 * arriving (one flush at a time, so dirty pages stay bounded); finishing waits for the last flush. `check` may refuse a
 * chunk before it is written.
 */
export function durableFileWriter(handle: FileHandle, check: (length: number) => Error | undefined): Writable {
  let unsynced = 0;
  let flushing: Promise<void> = Promise.resolve();
  const write = async (chunks: Buffer[]) => {
    const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const refused = check(length);
    if (refused) throw refused;
    await writeAll(handle, chunks, length);
    unsynced += length;
    if (unsynced >= SYNC_EVERY_BYTES) {
      unsynced = 0;
      await flushing;
      flushing = handle.datasync();
      // Awaited by the next flush or by final(); this only keeps an aborted download from reporting it as unhandled.
      flushing.catch(() => undefined);
    }
  };
  return new Writable({
    highWaterMark: READ_BUFFER_BYTES,
    writev(chunks, callback) {
      write(chunks.map(({ chunk }) => chunk as Buffer)).then(() => callback(), callback);
    },
    final(callback) {
      flushing.then(() => handle.datasync()).then(() => callback(), callback);
    },
  });
}

async function writeAll(handle: FileHandle, chunks: Buffer[], length: number): Promise<void> {
  const { bytesWritten } = await handle.writev(chunks);
  if (bytesWritten === length) return;
  // A short write (rare on regular files): write what is left of the batch.
  let rest = Buffer.concat(chunks).subarray(bytesWritten);
  while (rest.length > 0) rest = rest.subarray((await handle.write(rest)).bytesWritten);
}
