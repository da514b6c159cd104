// The storage contract both backends (local disk, S3) honour, its errors, and the key rules they share.
import type { Readable, Writable } from "node:stream";
import { AppError } from "@/lib/api/errors";

/** Inclusive byte offsets, as in HTTP `Range: bytes=start-end`; `end` past the last byte is clamped. */
export type ByteRange = { start: number; end: number };

export type ObjectInfo = {
  key: string;
  /** The whole object's size, also when a range was read. */
  size: number;
  contentType: string;
  /** A quoted strong entity tag, ready for an `ETag` header. */
  etag: string;
  lastModified: Date;
};

export type GetResult = ObjectInfo & {
  body: Readable;
  /** Present when a range was read: the bytes `body` carries, out of `size`. */
  contentRange?: { start: number; end: number; size: number };
};

/** A stream, or the path of a local file to stream from. */
export type PutBody = Readable | string;

export type PutOptions = {
  contentType: string;
  /** When known, the upload fails (and nothing is published) unless exactly this many bytes arrive. */
  size?: number;
  signal?: AbortSignal;
};

export type PutResult = { etag: string; size: number };

export type BeginUploadOptions = { contentType: string; size?: number };

/**
 * An object being written out of sight; nothing is visible under `key` until `commit()` succeeds.
 * Write through `writable` (pipe into it) or hand a whole source to `write()`.
 */
export type PendingUpload = {
  readonly key: string;
  readonly writable: Writable;
  /** Streams a whole source (a Readable or a local file path) into `writable` and ends it. */
  write(body: PutBody, options?: { signal?: AbortSignal }): Promise<void>;
  /** Bytes accepted so far. */
  bytesWritten(): number;
  /** Ends `writable` if still open, waits for every byte, then publishes atomically; on failure nothing is published. */
  commit(): Promise<PutResult>;
  /** Discards everything written; safe to call twice, after a failure, or after a commit (then a no-op). */
  abort(): Promise<void>;
};

export type SweepResult = { removed: number };

export type Store = {
  readonly kind: "local" | "s3";
  put(key: string, body: PutBody, options: PutOptions): Promise<PutResult>;
  get(key: string, range?: ByteRange): Promise<GetResult>;
  /** null when there is no object at `key`. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every object under `prefix`, which must end with `/`; returns how many were deleted. */
  deletePrefix(prefix: string): Promise<number>;
  /** Keys under `prefix` (a plain string prefix), in no guaranteed order. */
  list(prefix: string): AsyncIterable<string>;
  beginUpload(key: string, options: BeginUploadOptions): Promise<PendingUpload>;
  /** Removes temp files / aborts multipart uploads older than `olderThanMs`, except those this process is still writing. */
  sweepAbandoned(olderThanMs: number): Promise<SweepResult>;
  /** Frees sockets; the store is unusable afterwards. */
  close(): void;
  /** Local disk only: the object's own file, for tools that read paths (ffmpeg). A rename-in never disturbs an open reader. */
  localPath?(key: string): string;
  /**
   * Local disk only: publishes a finished local file under `key` by moving it (a rename on the same disk, a streamed
   * copy across disks); the file is gone from `file` after `commit`, which is atomic like a pending upload's. The file
   * is flushed from the moment this is called, so the flush overlaps whatever the caller does before committing.
   */
  stageLocalFile?(key: string, file: string, options: BeginUploadOptions): StagedAdoption;
};

export type StagedAdoption = { commit(): Promise<PutResult>; abort(): Promise<void> };

/** What tasks need from a user's bucket: read an input, write an output. */
export type ConnectionStore = Pick<Store, "get" | "head" | "put"> & { readonly bucket: string; close(): void };

export class ObjectNotFoundError extends AppError {
  readonly key: string;

  constructor(key: string) {
    super("not_found", `No stored object at '${key}'.`);
    this.name = "ObjectNotFoundError";
    this.key = key;
  }
}

export class RangeNotSatisfiableError extends AppError {
  /** The object's size when known. */
  readonly size: number | undefined;

  constructor(range: ByteRange, size?: number) {
    super("invalid_input", `Range ${range.start}-${range.end} selects no byte of the object${size === undefined ? "" : ` (${size} bytes)`}.`);
    this.name = "RangeNotSatisfiableError";
    this.size = size;
  }
}

export class SizeMismatchError extends AppError {
  readonly expected: number;
  readonly received: number;

  constructor(key: string, expected: number, received: number) {
    super("unprocessable", `Expected ${expected} bytes for '${key}' but received ${received}${received > expected ? " or more" : ""}.`);
    this.name = "SizeMismatchError";
    this.expected = expected;
    this.received = received;
  }
}

export function isObjectNotFound(error: unknown): error is ObjectNotFoundError {
  return error instanceof ObjectNotFoundError;
}

export const MAX_KEY_BYTES = 1024;
// Control characters never belong in a key: they break logs, XML listings and file names.
const CONTROL_CHARS = /\p{Cc}/u;

export function invalidKey(key: string, why: string): AppError {
  return new AppError("invalid_input", `Invalid storage key '${key.slice(0, 200)}': ${why}.`);
}

function assertSegment(key: string, segment: string): void {
  if (segment === "") throw invalidKey(key, "empty path segment");
  // Covers `.` and `..`, and keeps dot-names free for the store's own `.tmp/` and `.meta/`.
  if (segment.startsWith(".")) throw invalidKey(key, "a segment starts with '.'");
}

/**
 * Project-store keys are relative POSIX paths: no leading `/`, no `\`, no control characters,
 * no empty, `.` or `..` segments, at most 1024 bytes. objectKey() always produces such keys.
 */
export function assertStoreKey(key: string): void {
  if (typeof key !== "string" || key === "") throw invalidKey(String(key), "empty");
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) throw invalidKey(key, `longer than ${MAX_KEY_BYTES} bytes`);
  if (key.includes("\\")) throw invalidKey(key, "backslash");
  if (CONTROL_CHARS.test(key)) throw invalidKey(key, "control character");
  for (const segment of key.split("/")) assertSegment(key, segment);
}

/** Prefixes for list/deletePrefix: "" or complete segments, optionally followed by a partial last segment. */
export function assertStorePrefix(prefix: string): void {
  if (prefix === "") return;
  if (Buffer.byteLength(prefix, "utf8") > MAX_KEY_BYTES) throw invalidKey(prefix, `longer than ${MAX_KEY_BYTES} bytes`);
  if (prefix.includes("\\")) throw invalidKey(prefix, "backslash");
  if (CONTROL_CHARS.test(prefix)) throw invalidKey(prefix, "control character");
  const segments = prefix.split("/");
  segments.pop();
  for (const segment of segments) assertSegment(prefix, segment);
}

/** User buckets hold whatever keys S3 allows; only emptiness and length are refused. */
export function assertConnectionKey(key: string): void {
  if (typeof key !== "string" || key === "") throw invalidKey(String(key), "empty");
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) throw invalidKey(key, `longer than ${MAX_KEY_BYTES} bytes`);
}

export function assertDeletablePrefix(prefix: string): void {
  assertStorePrefix(prefix);
  // `projects/p1` would also match `projects/p10/…`: only whole folders may be deleted.
  if (!prefix.endsWith("/") || prefix === "/") throw invalidKey(prefix, "deletePrefix needs a non-empty prefix ending in '/'");
}

/** Checks an inclusive range against a size and clamps its end; throws when no byte of it exists. */
export function resolveRange(range: ByteRange, size: number): ByteRange {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || start >= size) {
    throw new RangeNotSatisfiableError(range, size);
  }
  return { start, end: Math.min(end, size - 1) };
}
