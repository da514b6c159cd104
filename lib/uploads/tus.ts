// tus 1.0 (core, creation, termination, expiration) on an upload URL: `POST <url>` creates, `<url>/<tus id>` takes
// HEAD/PATCH/DELETE. Bytes land in <dataDir>/uploads/tus (flushed to disk before each PATCH is answered), whatever the
// store; the finished file is published by publishUpload, which moves it into the store.
import { open, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { FileStore } from "@tus/file-store";
import { EVENTS, Server, type Upload as TusUpload } from "@tus/server";
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { Upload } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { durableFileWriter } from "@/lib/files/scratch";
import { randomToken } from "@/lib/ids";
import { publishUpload, type PublishedUpload } from "@/lib/uploads/publish";
import { expireUploads, recordProgress, RESUMABLE_FOR_MS } from "@/lib/uploads/uploads";

export function tusDir(): string {
  return path.join(env().dataDir, "uploads", "tus");
}

/** FileStore, except that a PATCH's bytes are on disk (fdatasync) before its new offset is answered. */
class DurableFileStore extends FileStore {
  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    // Appending is writing at `offset`: the server checked that the offset is the file's length, under the upload's lock.
    const handle = await open(path.join(this.directory, id), "a");
    let written = 0;
    try {
      await pipeline(
        readable,
        durableFileWriter(handle, (length) => {
          written += length;
          return undefined;
        }),
      );
    } finally {
      await handle.close().catch(() => undefined);
    }
    return offset + written;
  }
}

/** What a tus request is about, set by the route before the tus server sees the request. */
export type TusContext = {
  upload: Upload;
  /** The capability URL (`<origin>/u/<token>`): tus locations are below it. */
  url: string;
  /** The tus id named by the request path, for HEAD/PATCH/DELETE. */
  tusId?: string;
  /** Set when the finished upload was published: the route renders it. */
  published?: PublishedUpload;
  /** Set when publishing refused the bytes: the route renders it in the upload's error shape. */
  refused?: AppError;
};

const contexts = new WeakMap<Request, TusContext>();

function contextOf(request: Request): TusContext {
  const context = contexts.get(request);
  if (!context) throw new Error("tus request without an upload context");
  return context;
}

/** Thrown inside tus hooks: the tus server answers with this status and body. */
function tusError(status: number, message: string): { status_code: number; body: string } {
  return { status_code: status, body: `${message}\n` };
}

/** Removes an attempt's bytes and its info file; an attempt already gone is fine. */
export async function removeTusFiles(tusId: string): Promise<void> {
  await rm(path.join(tusDir(), tusId), { force: true });
  await rm(path.join(tusDir(), `${tusId}.json`), { force: true });
}

async function onUploadCreate(request: Request, tus: TusUpload): Promise<{ metadata?: TusUpload["metadata"] }> {
  const { upload } = contextOf(request);
  const prisma = await db();
  // One tus upload per upload URL at a time: a new creation replaces an attempt the client gave up on.
  const { count } = await prisma.upload.updateMany({
    where: { id: upload.id, status: { in: ["waiting", "uploading"] } },
    data: { tusId: tus.id, status: "uploading", lastByteAt: new Date(), bytesReceived: 0n, totalBytes: tus.size === undefined ? null : BigInt(tus.size), error: null },
  });
  if (count === 0) throw tusError(410, "This upload URL has been used or has expired.");
  if (upload.tusId && upload.tusId !== tus.id) await removeTusFiles(upload.tusId);
  return {};
}

/** Publishes a tus upload whose bytes are all there; refused bytes are removed and the URL stays usable for a new attempt. */
async function publishTus(context: TusContext, tusId: string, size: number): Promise<void> {
  try {
    context.published = await publishUpload(context.upload.id, { path: path.join(tusDir(), tusId), size });
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    context.refused = error;
    await removeTusFiles(tusId);
    const prisma = await db();
    await prisma.upload.updateMany({ where: { id: context.upload.id, status: { not: "completed" } }, data: { status: "waiting", tusId: null, bytesReceived: 0n, totalBytes: null } });
    return;
  }
  await removeTusFiles(tusId);
}

async function onUploadFinish(request: Request, tus: TusUpload): Promise<{ status_code?: number; headers?: Record<string, string>; body?: string }> {
  const context = contextOf(request);
  await publishTus(context, tus.id, tus.offset);
  if (context.refused) throw tusError(context.refused.status, context.refused.message);
  return {};
}

let server: Server | undefined;

function tusServer(): Server {
  if (server) return server;
  const created = new Server({
    path: "/u",
    datastore: new DurableFileStore({ directory: tusDir() }),
    maxSize: () => env().MEDIABIT_MAX_FILE_BYTES,
    exposedHeaders: ["Upload-Expires"],
    namingFunction: (request) => `${contextOf(request as unknown as Request).upload.id}-${randomToken(16)}`,
    generateUrl: (request, { id }) => `${contextOf(request as unknown as Request).url}/${id}`,
    getFileIdFromRequest: (request) => contextOf(request as unknown as Request).tusId,
    onUploadCreate: (request, tus) => onUploadCreate(request as unknown as Request, tus),
    onUploadFinish: (request, tus) => onUploadFinish(request as unknown as Request, tus),
  });
  created.on(EVENTS.POST_RECEIVE, (_stream: unknown, tus: TusUpload) => {
    const uploadId = tus.id.slice(0, tus.id.lastIndexOf("-"));
    recordProgress(uploadId, tus.offset).catch((error: unknown) => console.error(`upload ${uploadId}: progress not recorded`, error));
  });
  server = created;
  return created;
}

const ALLOWED_METHODS = "POST, PUT, HEAD, PATCH, DELETE, OPTIONS";

/** CORS preflight and tus discovery: one answer for every upload URL, token or not (the token is the credential). */
export async function answerOptions(request: Request): Promise<Response> {
  const response = await tusServer().handleWeb(request);
  response.headers.set("Access-Control-Allow-Origin", "*");
  response.headers.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
  return response;
}

/**
 * Runs one tus request for `context.upload` (already checked usable by the route). Returns the tus server's response,
 * with `Upload-Expires` for an unfinished upload and the upload's row brought up to date with the bytes on disk.
 */
export async function handleTus(request: Request, context: TusContext): Promise<Response> {
  contexts.set(request, context);
  const response = await tusServer().handleWeb(request);
  const offset = response.headers.get("upload-offset");
  // All bytes there but never published (the process died between the last write and publishing): a client resuming
  // sees a complete upload and sends nothing more, so its HEAD publishes.
  if (request.method === "HEAD" && response.status === 200 && context.tusId && offset !== null && offset === response.headers.get("upload-length")) {
    await publishTus(context, context.tusId, Number(offset));
  }
  const finished = context.published || context.refused;
  if (!finished && offset !== null && response.status < 300) {
    if (request.method === "PATCH") await recordProgress(context.upload.id, Number(offset));
    response.headers.set("Upload-Expires", new Date(Math.max(context.upload.urlExpiresAt.getTime(), Date.now() + RESUMABLE_FOR_MS)).toUTCString());
  }
  if (request.method === "DELETE" && response.status === 204 && context.tusId) {
    const prisma = await db();
    await prisma.upload.updateMany({ where: { id: context.upload.id, tusId: context.tusId, status: { not: "completed" } }, data: { status: "waiting", tusId: null, bytesReceived: 0n, totalBytes: null } });
  }
  return response;
}

/** Expired upload URLs: marked expired, their unfinished tus bytes removed. Returns how many expired. */
export async function sweepExpiredUploads(now = new Date()): Promise<number> {
  const expired = await expireUploads(now);
  for (const upload of expired) if (upload.tusId) await removeTusFiles(upload.tusId);
  return expired.length;
}
