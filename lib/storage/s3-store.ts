// A store on an S3-compatible bucket: streamed multipart writes, ranged reads, prefix listing.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { Readable, Transform, Writable, type TransformCallback } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { openBody, pipeBody } from "./streams";
import {
  assertConnectionKey,
  assertDeletablePrefix,
  assertStoreKey,
  assertStorePrefix,
  ObjectNotFoundError,
  RangeNotSatisfiableError,
  SizeMismatchError,
  type BeginUploadOptions,
  type ByteRange,
  type GetResult,
  type ObjectInfo,
  type PendingUpload,
  type PutBody,
  type PutOptions,
  type PutResult,
  type Store,
  type SweepResult,
} from "./store-types";

/** S3's floor for every part but the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const MAX_PARTS = 10_000;
const DELETE_BATCH = 1000;
const DEFAULT_CONTENT_TYPE = "application/octet-stream";

export type S3StoreOptions = {
  client: S3Client;
  bucket: string;
  /** Every key is stored under it (`media/` for `s3://bucket/media`); "" for the bucket root. */
  prefix?: string;
  /** Multipart part size; parts are all this size but the last (R2 requires equal parts). */
  partSize?: number;
  /** Parts `put` uploads in parallel; memory is about (queueSize + 1) × partSize per upload. */
  queueSize?: number;
  /** Project stores take only layout-shaped keys; user buckets take any key S3 does. */
  keyRules?: "store" | "connection";
};

type S3ErrorShape = { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };

function statusOf(error: unknown): number | undefined {
  return (error as S3ErrorShape | undefined)?.$metadata?.httpStatusCode;
}

function isMissingObject(error: unknown): boolean {
  const name = (error as S3ErrorShape | undefined)?.name;
  if (name === "NoSuchBucket") return false;
  return name === "NoSuchKey" || name === "NotFound" || statusOf(error) === 404;
}

function isMissingUpload(error: unknown): boolean {
  return (error as S3ErrorShape | undefined)?.name === "NoSuchUpload" || statusOf(error) === 404;
}

function quoteEtag(etag: string | undefined): string {
  if (!etag) return '""';
  return etag.startsWith('"') || etag.startsWith('W/"') ? etag : `"${etag}"`;
}

/** `bytes 0-99/1000` → its parts. */
function parseContentRange(value: string | undefined): { start: number; end: number; size: number } | undefined {
  const match = value ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

/** Counts bytes on their way to the SDK and fails the stream (so nothing is completed) on a size mismatch. */
class ByteCounter extends Transform {
  bytes = 0;
  private readonly key: string;
  private readonly expected: number | undefined;

  constructor(key: string, expected: number | undefined) {
    super();
    this.key = key;
    this.expected = expected;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.expected !== undefined && this.bytes > this.expected) {
      callback(new SizeMismatchError(this.key, this.expected, this.bytes));
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expected !== undefined && this.bytes !== this.expected) {
      callback(new SizeMismatchError(this.key, this.expected, this.bytes));
      return;
    }
    callback();
  }
}

class S3Store implements Store {
  readonly kind = "s3" as const;
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  readonly partSize: number;
  private readonly queueSize: number;
  private readonly strictKeys: boolean;
  /** Multipart uploads this process is still writing: sweeping never aborts them. */
  readonly active = new Set<string>();

  constructor(options: S3StoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    const prefix = (options.prefix ?? "").replace(/^\/+/, "");
    this.prefix = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    if (this.partSize < MIN_PART_SIZE) throw new RangeError(`partSize must be at least ${MIN_PART_SIZE} bytes`);
    this.queueSize = options.queueSize ?? 2;
    this.strictKeys = options.keyRules !== "connection";
  }

  fullKey(key: string): string {
    if (this.strictKeys) assertStoreKey(key);
    else assertConnectionKey(key);
    return this.prefix + key;
  }

  async put(key: string, body: PutBody, options: PutOptions): Promise<PutResult> {
    options.signal?.throwIfAborted();
    const fullKey = this.fullKey(key);
    const source = openBody(body);
    const counter = new ByteCounter(key, options.size);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: fullKey, Body: counter, ContentType: options.contentType },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    const onAbort = () => counter.destroy(options.signal?.reason instanceof Error ? options.signal.reason : new Error("upload aborted"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const piping = pipeline(source, counter);
    const done = upload.done();
    try {
      const [out] = await Promise.all([done, piping]);
      return { etag: quoteEtag(out.ETag), size: counter.bytes };
    } catch (error) {
      // A broken body makes lib-storage abort its multipart upload; waiting for that leaves no part behind.
      source.destroy();
      counter.destroy();
      await Promise.allSettled([done, piping]);
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    if (range && (!Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end) || range.start < 0 || range.end < range.start)) {
      throw new RangeNotSatisfiableError(range);
    }
    let out;
    try {
      out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
    } catch (error) {
      if (isMissingObject(error)) throw new ObjectNotFoundError(key);
      if (range && statusOf(error) === 416) throw new RangeNotSatisfiableError(range, (await this.head(key))?.size);
      throw error;
    }
    if (!(out.Body instanceof Readable)) throw new Error(`S3 returned no stream for '${key}'`);
    const length = out.ContentLength ?? 0;
    let contentRange = range ? parseContentRange(out.ContentRange) : undefined;
    // Some servers answer 200 with the whole body when the range covers all of it.
    if (range && !contentRange && range.start === 0 && length - 1 <= range.end) contentRange = { start: 0, end: length - 1, size: length };
    if (range && !contentRange) {
      // Never pass off a whole body as the part that was asked for.
      out.Body.destroy();
      throw new Error(`S3 ignored the Range request for '${key}'`);
    }
    return {
      key,
      size: contentRange?.size ?? length,
      contentType: out.ContentType ?? DEFAULT_CONTENT_TYPE,
      etag: quoteEtag(out.ETag),
      lastModified: out.LastModified ?? new Date(0),
      body: out.Body,
      ...(contentRange ? { contentRange } : {}),
    };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
      return {
        key,
        size: out.ContentLength ?? 0,
        contentType: out.ContentType ?? DEFAULT_CONTENT_TYPE,
        etag: quoteEtag(out.ETag),
        lastModified: out.LastModified ?? new Date(0),
      };
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertDeletablePrefix(prefix);
    let deleted = 0;
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const out = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((key) => ({ Key: this.prefix + key })), Quiet: true } }),
      );
      const failed = out.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0];
        throw new Error(`could not delete ${failed.length} object(s), e.g. '${first?.Key}': ${first?.Code} ${first?.Message ?? ""}`.trim());
      }
      deleted += batch.length;
      batch = [];
    };
    for await (const key of this.list(prefix)) {
      batch.push(key);
      if (batch.length === DELETE_BATCH) await flush();
    }
    await flush();
    return deleted;
  }

  async *list(prefix: string): AsyncIterable<string> {
    if (this.strictKeys) assertStorePrefix(prefix);
    let token: string | undefined;
    do {
      const out = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }));
      for (const item of out.Contents ?? []) {
        if (item.Key?.startsWith(this.prefix)) yield item.Key.slice(this.prefix.length);
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  async beginUpload(key: string, options: BeginUploadOptions): Promise<PendingUpload> {
    const fullKey = this.fullKey(key);
    const out = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: fullKey, ContentType: options.contentType }),
    );
    if (!out.UploadId) throw new Error(`S3 returned no upload id for '${key}'`);
    this.active.add(out.UploadId);
    return new S3PendingUpload({ store: this, key, fullKey, uploadId: out.UploadId, options });
  }

  async abortMultipart(fullKey: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: fullKey, UploadId: uploadId }));
    } catch (error) {
      if (!isMissingUpload(error)) throw error;
    } finally {
      this.active.delete(uploadId);
    }
  }

  async sweepAbandoned(olderThanMs: number): Promise<SweepResult> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const out = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.bucket,
          Prefix: this.prefix || undefined,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
      for (const upload of out.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || this.active.has(upload.UploadId)) continue;
        if (!upload.Initiated || upload.Initiated.getTime() >= cutoff) continue;
        await this.abortMultipart(upload.Key, upload.UploadId);
        removed++;
      }
      if (!out.IsTruncated || (!out.NextKeyMarker && !out.NextUploadIdMarker)) break;
      keyMarker = out.NextKeyMarker;
      uploadIdMarker = out.NextUploadIdMarker;
    }
    return { removed };
  }

  close(): void {
    this.client.destroy();
  }
}

type S3PendingInit = { store: S3Store; key: string; fullKey: string; uploadId: string; options: BeginUploadOptions };

/**
 * Cuts the stream into equal parts and uploads each as soon as it is full, one in flight while the next fills:
 * memory stays near two parts. CompleteMultipartUpload in commit() is the moment the object appears.
 */
class S3PendingUpload implements PendingUpload {
  readonly key: string;
  readonly writable: Writable;
  private readonly init: S3PendingInit;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private bytes = 0;
  private readonly parts: CompletedPart[] = [];
  private inflight: Promise<void> = Promise.resolve();
  private failure: unknown;
  private state: "open" | "committing" | "committed" | "aborted" = "open";
  private result: PutResult | undefined;

  constructor(init: S3PendingInit) {
    this.init = init;
    this.key = init.key;
    this.writable = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.append(chunk).then(() => callback(), callback);
      },
      final: (callback) => {
        this.flush().then(() => callback(), callback);
      },
    });
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private async append(chunk: Buffer): Promise<void> {
    this.throwIfFailed();
    const expected = this.init.options.size;
    if (expected !== undefined && this.bytes + chunk.length > expected) {
      throw new SizeMismatchError(this.key, expected, this.bytes + chunk.length);
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.bytes += chunk.length;
    while (this.buffered >= this.init.store.partSize) await this.startPart(this.take(this.init.store.partSize));
  }

  private async flush(): Promise<void> {
    if (this.buffered > 0) await this.startPart(this.take(this.buffered));
    await this.inflight;
    this.throwIfFailed();
  }

  /** Exactly `size` bytes off the front of the buffer. */
  private take(size: number): Buffer {
    const part = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const chunk = this.chunks[0];
      if (!chunk) break;
      const needed = size - offset;
      if (chunk.length <= needed) {
        chunk.copy(part, offset);
        offset += chunk.length;
        this.chunks.shift();
      } else {
        chunk.copy(part, offset, 0, needed);
        this.chunks[0] = chunk.subarray(needed);
        offset += needed;
      }
    }
    this.buffered -= size;
    return part;
  }

  /** Waits for the previous part, then sends this one without waiting for it. */
  private async startPart(body: Buffer): Promise<void> {
    await this.inflight;
    this.throwIfFailed();
    const partNumber = this.parts.length + 1;
    if (partNumber > MAX_PARTS) throw new Error(`'${this.key}' needs more than ${MAX_PARTS} parts of ${this.init.store.partSize} bytes`);
    const { store, fullKey, uploadId } = this.init;
    this.inflight = store.client
      .send(new UploadPartCommand({ Bucket: store.bucket, Key: fullKey, UploadId: uploadId, PartNumber: partNumber, Body: body }))
      .then(
        (out) => {
          if (!out.ETag) throw new Error(`S3 returned no ETag for part ${partNumber} of '${this.key}'`);
          this.parts.push({ PartNumber: partNumber, ETag: out.ETag });
        },
        (error: unknown) => {
          this.failure = error;
        },
      )
      .catch((error: unknown) => {
        this.failure = error;
      });
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
    const { store, fullKey, uploadId, options } = this.init;
    try {
      if (!this.writable.writableEnded) this.writable.end();
      await finished(this.writable);
      if (options.size !== undefined && this.bytes !== options.size) throw new SizeMismatchError(this.key, options.size, this.bytes);
      let etag: string | undefined;
      if (this.parts.length === 0) {
        // S3 cannot complete an upload without parts: an empty object is one atomic PutObject instead.
        await store.abortMultipart(fullKey, uploadId);
        const out = await store.client.send(
          new PutObjectCommand({ Bucket: store.bucket, Key: fullKey, Body: Buffer.alloc(0), ContentType: options.contentType }),
        );
        etag = out.ETag;
      } else {
        const parts = [...this.parts].sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
        const out = await store.client.send(
          new CompleteMultipartUploadCommand({ Bucket: store.bucket, Key: fullKey, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
        );
        etag = out.ETag;
        store.active.delete(uploadId);
      }
      this.state = "committed";
      this.result = { etag: quoteEtag(etag), size: this.bytes };
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
    this.chunks = [];
    this.buffered = 0;
    await this.inflight;
    await this.init.store.abortMultipart(this.init.fullKey, this.init.uploadId);
  }
}

export function createS3Store(options: S3StoreOptions): Store {
  return new S3Store(options);
}
