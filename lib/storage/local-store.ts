// The project store on local disk: objects are plain files under the root, written in `.tmp/` and renamed in.
import { randomUUID } from "node:crypto";
import type { Stats } from "node:fs";
import { mkdir, open, opendir, readFile, rename, rmdir, stat, unlink, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { mimeForFileName } from "@/lib/media/mime";
import { pipeBody } from "./streams";
import {
  assertDeletablePrefix,
  assertStoreKey,
  assertStorePrefix,
  invalidKey,
  ObjectNotFoundError,
  resolveRange,
  SizeMismatchError,
  type BeginUploadOptions,
  type ByteRange,
  type GetResult,
  type ObjectInfo,
  type StagedAdoption,
  type PendingUpload,
  type PutBody,
  type PutOptions,
  type PutResult,
  type Store,
  type SweepResult,
} from "./store-types";

const TMP_DIR = ".tmp";
const META_DIR = ".meta";
const DEFAULT_CONTENT_TYPE = "application/octet-stream";
// File systems cap a name at 255 bytes; the metadata sidecar appends `.json`.
const MAX_SEGMENT_BYTES = 250;

type Meta = { contentType: string };

// An object whose content type is the one its key's extension implies needs no sidecar, which saves a file and a flush
// per object (outputs, package segments).
function inferredType(key: string): string | undefined {
  return mimeForFileName(key.slice(key.lastIndexOf("/") + 1));
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function ignoreMissing(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
}

/** Changes with every write (a new inode each time) and never without one. */
function etagFor(stats: Stats): string {
  return `"${stats.ino.toString(16)}-${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
}

/** Makes renames into `dir` durable; some file systems refuse to fsync a directory, which costs only durability. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    return;
  } finally {
    await handle?.close();
  }
}

class LocalStore implements Store {
  readonly kind = "local" as const;
  readonly root: string;
  readonly tmpDir: string;
  readonly metaDir: string;
  /** Temp files this process is still writing: sweeping never touches them. */
  readonly active = new Set<string>();

  constructor(root: string) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, TMP_DIR);
    this.metaDir = path.join(this.root, META_DIR);
  }

  private segments(key: string): string[] {
    assertStoreKey(key);
    const segments = key.split("/");
    for (const segment of segments) {
      if (Buffer.byteLength(segment, "utf8") > MAX_SEGMENT_BYTES) {
        throw invalidKey(key, `a segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
      }
    }
    return segments;
  }

  objectPath(key: string): string {
    return path.join(this.root, ...this.segments(key));
  }

  private metaPath(key: string): string {
    const segments = this.segments(key);
    return path.join(this.metaDir, ...segments.slice(0, -1), `${segments.at(-1)}.json`);
  }

  private async readMeta(key: string): Promise<Meta> {
    try {
      const parsed = JSON.parse(await readFile(this.metaPath(key), "utf8")) as Partial<Meta>;
      if (typeof parsed.contentType === "string") return { contentType: parsed.contentType };
    } catch {
      // No sidecar (or an unreadable one): the type the key implies.
    }
    return { contentType: inferredType(key) ?? DEFAULT_CONTENT_TYPE };
  }

  /** Opens the object itself; the handle pins that version even if a writer renames a new one in. */
  private async openObject(key: string): Promise<{ handle: FileHandle; stats: Stats } | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.objectPath(key), "r");
    } catch (error) {
      if (["ENOENT", "ENOTDIR", "EISDIR"].includes(errorCode(error) ?? "")) return null;
      throw error;
    }
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      return null;
    }
    return { handle, stats };
  }

  private info(key: string, stats: Stats, meta: Meta): ObjectInfo {
    return { key, size: stats.size, contentType: meta.contentType, etag: etagFor(stats), lastModified: stats.mtime };
  }

  async put(key: string, body: PutBody, options: PutOptions): Promise<PutResult> {
    const pending = await this.beginUpload(key, options);
    try {
      await pending.write(body, { signal: options.signal });
      return await pending.commit();
    } catch (error) {
      await pending.abort().catch(() => undefined);
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    const opened = await this.openObject(key);
    if (!opened) throw new ObjectNotFoundError(key);
    const { handle, stats } = opened;
    try {
      const meta = await this.readMeta(key);
      const info = this.info(key, stats, meta);
      if (!range) return { ...info, body: handle.createReadStream({ autoClose: true }) };
      const { start, end } = resolveRange(range, stats.size);
      return { ...info, body: handle.createReadStream({ start, end, autoClose: true }), contentRange: { start, end, size: stats.size } };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const opened = await this.openObject(key);
    if (!opened) return null;
    try {
      return this.info(key, opened.stats, await this.readMeta(key));
    } finally {
      await opened.handle.close();
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.objectPath(key);
    const meta = this.metaPath(key);
    await ignoreMissing(unlink(file));
    await ignoreMissing(unlink(meta));
    await this.pruneEmptyDirs(path.dirname(file), this.root);
    await this.pruneEmptyDirs(path.dirname(meta), this.metaDir);
  }

  /** Removes now-empty folders up to (not including) `stop`; a concurrent writer recreates what it needs. */
  private async pruneEmptyDirs(from: string, stop: string): Promise<void> {
    for (let dir = from; dir !== stop && dir.startsWith(stop + path.sep); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertDeletablePrefix(prefix);
    let deleted = 0;
    for await (const key of this.list(prefix)) {
      await this.delete(key);
      deleted++;
    }
    return deleted;
  }

  async *list(prefix: string): AsyncIterable<string> {
    assertStorePrefix(prefix);
    const base = prefix.slice(0, prefix.lastIndexOf("/") + 1);
    const start = base === "" ? this.root : path.join(this.root, ...base.slice(0, -1).split("/"));
    yield* this.walk(start, base, prefix);
  }

  private async *walk(dir: string, relative: string, prefix: string): AsyncIterable<string> {
    let entries;
    try {
      entries = await opendir(dir);
    } catch (error) {
      if (["ENOENT", "ENOTDIR"].includes(errorCode(error) ?? "")) return;
      throw error;
    }
    for await (const entry of entries) {
      // `.tmp/` and `.meta/` are the store's own; keys never have dot-leading segments.
      if (entry.name.startsWith(".")) continue;
      const key = relative + entry.name;
      if (entry.isDirectory()) {
        const folder = `${key}/`;
        if (folder.startsWith(prefix) || prefix.startsWith(folder)) yield* this.walk(path.join(dir, entry.name), folder, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        yield key;
      }
    }
  }

  async beginUpload(key: string, options: BeginUploadOptions): Promise<PendingUpload> {
    // Refuse a bad key before any byte is written.
    this.objectPath(key);
    await mkdir(this.tmpDir, { recursive: true });
    const tempPath = path.join(this.tmpDir, randomUUID());
    const handle = await open(tempPath, "wx", 0o644);
    this.active.add(tempPath);
    return new LocalPendingUpload({ store: this, key, tempPath, handle, options });
  }

  localPath(key: string): string {
    return this.objectPath(key);
  }

  stageLocalFile(key: string, file: string, options: BeginUploadOptions): StagedAdoption {
    // Refuse a bad key before touching the file.
    this.objectPath(key);
    // Durable before it can become visible, as in commit(): the file is flushed and its metadata written now, while
    // the caller goes on (typically: opening the transaction the commit runs in).
    const prepared = (async () => {
      const handle = await open(file, "r");
      try {
        const stats = await handle.stat();
        if (!stats.isFile()) throw new Error(`'${file}' is not a regular file`);
        if (options.size !== undefined && stats.size !== options.size) throw new SizeMismatchError(key, options.size, stats.size);
        const [metaTemp] = await Promise.all([this.writeMeta(key, options.contentType), handle.sync()]);
        return { stats, metaTemp };
      } finally {
        await handle.close();
      }
    })();
    // Awaited by commit or abort; until then a failure must not count as unhandled.
    prepared.catch(() => undefined);
    return {
      commit: async () => {
        const { stats, metaTemp } = await prepared;
        try {
          await this.placeInto(key, file, metaTemp);
          return { etag: etagFor(stats), size: stats.size };
        } catch (error) {
          if (errorCode(error) !== "EXDEV") throw error;
        }
        // Another file system: copy through a pending upload, which is just as atomic, then let go of the source.
        const result = await this.put(key, file, options);
        await ignoreMissing(unlink(file));
        return result;
      },
      abort: async () => {
        const ready = await prepared.catch(() => null);
        if (ready) await this.forgetMeta(ready.metaTemp);
      },
    };
  }

  /** The sidecar of an object about to be published, written and flushed under `.tmp/`; none when the key implies the type. */
  private async writeMeta(key: string, contentType: string): Promise<string | null> {
    if (contentType === inferredType(key)) return null;
    await mkdir(this.tmpDir, { recursive: true });
    const metaTemp = path.join(this.tmpDir, `${randomUUID()}.meta`);
    this.active.add(metaTemp);
    try {
      const handle = await open(metaTemp, "wx", 0o644);
      try {
        await handle.writeFile(JSON.stringify({ contentType } satisfies Meta));
        await handle.sync();
      } finally {
        await handle.close();
      }
      return metaTemp;
    } catch (error) {
      await this.forgetMeta(metaTemp);
      throw error;
    }
  }

  private async forgetMeta(metaTemp: string | null): Promise<void> {
    if (!metaTemp) return;
    this.active.delete(metaTemp);
    await ignoreMissing(unlink(metaTemp));
  }

  /** Metadata first, then the bytes: the rename of the data file is the moment the object appears. */
  private async placeInto(key: string, dataPath: string, metaTemp: string | null): Promise<void> {
    try {
      // Without a sidecar of its own, the object must not inherit one from an earlier object under the same key.
      if (metaTemp) await this.renameInto(metaTemp, this.metaPath(key));
      else await ignoreMissing(unlink(this.metaPath(key)));
      const target = this.objectPath(key);
      await this.renameInto(dataPath, target);
      await syncDirectory(path.dirname(target));
    } finally {
      await this.forgetMeta(metaTemp);
    }
  }

  /** Publishes a flushed temp file under `key`. */
  async publish(key: string, tempPath: string, contentType: string): Promise<void> {
    await this.placeInto(key, tempPath, await this.writeMeta(key, contentType));
  }

  /** A concurrent delete may prune the folder between mkdir and rename: recreate it and try again. */
  private async renameInto(from: string, to: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await mkdir(path.dirname(to), { recursive: true });
      try {
        await rename(from, to);
        return;
      } catch (error) {
        if (errorCode(error) !== "ENOENT" || attempt === 3) throw error;
      }
    }
  }

  async sweepAbandoned(olderThanMs: number): Promise<SweepResult> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    let entries;
    try {
      entries = await opendir(this.tmpDir);
    } catch (error) {
      if (errorCode(error) === "ENOENT") return { removed };
      throw error;
    }
    for await (const entry of entries) {
      const file = path.join(this.tmpDir, entry.name);
      if (this.active.has(file)) continue;
      let stats: Stats;
      try {
        stats = await stat(file);
      } catch {
        continue;
      }
      if (stats.mtimeMs >= cutoff) continue;
      try {
        await unlink(file);
        removed++;
      } catch (error) {
        if (errorCode(error) !== "ENOENT") throw error;
      }
    }
    return { removed };
  }

  close(): void {}
}

type LocalPendingInit = {
  store: LocalStore;
  key: string;
  tempPath: string;
  handle: FileHandle;
  options: BeginUploadOptions;
};

class LocalPendingUpload implements PendingUpload {
  readonly key: string;
  readonly writable: Writable;
  private readonly init: LocalPendingInit;
  private bytes = 0;
  private stats: Stats | undefined;
  private state: "open" | "committing" | "committed" | "aborted" = "open";
  private result: PutResult | undefined;
  private closing: Promise<void> | undefined;

  constructor(init: LocalPendingInit) {
    this.init = init;
    this.key = init.key;
    this.writable = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.append(chunk).then(() => callback(), callback);
      },
      final: (callback) => {
        // Durable before it can become visible: a crash after the rename never exposes a short file.
        init.handle
          .sync()
          .then(() => init.handle.stat())
          .then((stats) => {
            this.stats = stats;
            callback();
          }, callback);
      },
      destroy: (error, callback) => {
        this.closeHandle().then(() => callback(error));
      },
    });
  }

  private async append(chunk: Buffer): Promise<void> {
    const expected = this.init.options.size;
    if (expected !== undefined && this.bytes + chunk.length > expected) {
      throw new SizeMismatchError(this.key, expected, this.bytes + chunk.length);
    }
    for (let offset = 0; offset < chunk.length; ) {
      const { bytesWritten } = await this.init.handle.write(chunk, offset, chunk.length - offset);
      offset += bytesWritten;
    }
    this.bytes += chunk.length;
  }

  private closeHandle(): Promise<void> {
    this.closing ??= this.init.handle.close().catch(() => undefined);
    return this.closing;
  }

  bytesWritten(): number {
    return this.bytes;
  }

  async write(body: PutBody, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.state !== "open") throw new Error(`upload of '${this.key}' is no longer open`);
    await pipeBody(body, this.writable, options.signal);
  }

  async commit(): Promise<PutResult> {
    if (this.state === "committed" && this.result) return this.result;
    if (this.state !== "open") throw new Error(`upload of '${this.key}' cannot be committed: it was ${this.state === "aborted" ? "aborted" : "already committing"}`);
    this.state = "committing";
    try {
      if (!this.writable.writableEnded) this.writable.end();
      await finished(this.writable);
      await this.closeHandle();
      const expected = this.init.options.size;
      if (expected !== undefined && this.bytes !== expected) throw new SizeMismatchError(this.key, expected, this.bytes);
      const stats = this.stats;
      if (!stats) throw new Error(`upload of '${this.key}' finished without being flushed`);
      await this.init.store.publish(this.key, this.init.tempPath, this.init.options.contentType);
      this.state = "committed";
      this.init.store.active.delete(this.init.tempPath);
      this.result = { etag: etagFor(stats), size: stats.size };
      return this.result;
    } catch (error) {
      this.state = "open";
      await this.abort().catch(() => undefined);
      throw error;
    }
  }

  async abort(): Promise<void> {
    if (this.state === "committed" || this.state === "aborted") return;
    this.state = "aborted";
    if (!this.writable.destroyed) this.writable.destroy();
    await this.closeHandle();
    await ignoreMissing(unlink(this.init.tempPath));
    this.init.store.active.delete(this.init.tempPath);
  }
}

export function createLocalStore({ root }: { root: string }): Store {
  return new LocalStore(root);
}
