// Dashboard uploads straight from the browser into the project store's bucket (issue 15 §3): the server records the
// upload, presigns only the multipart requests of its own staging object, then checks and publishes the object
// exactly as any other upload (publishUpload) and deletes the staging copy.
import { z } from "zod";
import { AppError, notFound } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { Upload } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { getFileOrThrow, type FileWithProject } from "@/lib/files/files";
import { writeScratch } from "@/lib/files/scratch";
import { newId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";
import { bucketUploads, type BucketRequest, type BucketUploads } from "@/lib/storage/bucket-uploads";
import { sanitizeFolder, uploadStagingKey } from "@/lib/storage/object-key";
import { getStore, storageLocation } from "@/lib/storage/store";
import { publishUpload } from "@/lib/uploads/publish";

/** Each presigned URL works this long: enough for one part on a slow line, short if it leaks. */
export const SIGNED_URL_SECONDS = 15 * 60;
/** A direct upload may be signed this long after it was created; what is left of it afterwards is swept. */
export const DIRECT_UPLOAD_TTL_MS = 24 * 3600 * 1000;
const MAX_PART_NUMBER = 10_000;
const SWEEP_BATCH = 100;

/** Who acts: a signed-in person on one of their projects. Direct uploads belong to the person who started them. */
export type DirectUploadScope = ProjectScope & { userId: string };

export const ZCreateDirectUpload = z.strictObject({
  filename: z.string().trim().min(1, "name the file").max(1000),
  size: z.number().int().min(0),
  folder: z.string().max(1024).optional(),
});
export type TCreateDirectUpload = z.infer<typeof ZCreateDirectUpload>;

/** What @uppy/aws-s3 asks to have signed (its `signRequest` argument); unknown fields are dropped. */
export const ZBucketRequest = z.object({
  method: z.enum(["POST", "PUT", "GET", "DELETE"]),
  key: z.string().min(1).max(2048),
  uploadId: z.string().min(1).max(1024).optional(),
  partNumber: z.number().int().optional(),
});
export const ZSignDirectRequest = z.strictObject({ uploadId: z.string().min(1).max(100), request: ZBucketRequest });
export type TSignDirectRequest = z.infer<typeof ZSignDirectRequest>;

export const ZCompleteDirectUpload = z.strictObject({ uploadId: z.string().min(1).max(100) });
export type TCompleteDirectUpload = z.infer<typeof ZCompleteDirectUpload>;

export type CreatedDirectUpload = { uploadId: string; key: string; expiresAt: Date };
export type SignedBucketRequest = { url: string; key?: string };
export type CompletedDirectUpload = { file: FileWithProject; created: boolean };

/** True when the store is an S3 bucket and MEDIABIT_UPLOADS_DIRECT is `auto`: the dashboard then uploads to the bucket. */
export function directUploadsEnabled(): boolean {
  const settings = env();
  return settings.MEDIABIT_UPLOADS_DIRECT === "auto" && storageLocation(settings).kind === "s3";
}

function requireBucket(): BucketUploads {
  const bucket = directUploadsEnabled() ? bucketUploads() : null;
  if (!bucket) throw new AppError("forbidden", "Uploads straight to the bucket are off on this server; upload through the server instead.");
  return bucket;
}

/** Records an upload of `size` bytes named `filename` and answers the bucket key the browser uploads to. */
export async function createDirectUpload(scope: DirectUploadScope, input: TCreateDirectUpload): Promise<CreatedDirectUpload> {
  const bucket = requireBucket();
  if (input.size === 0) throw new AppError("invalid_input", "The file is empty (0 bytes); there is nothing to upload.", [{ field: "size", message: "empty file" }]);
  const max = env().MEDIABIT_MAX_FILE_BYTES;
  if (input.size > max) throw new AppError("payload_too_large", `The file is ${input.size} bytes; this server takes at most ${max} bytes per file.`);
  const id = newId("upl");
  const storageKey = uploadStagingKey({ projectId: scope.projectId, uploadId: id, name: input.filename });
  const expiresAt = new Date(Date.now() + DIRECT_UPLOAD_TTL_MS);
  const prisma = await db();
  await prisma.upload.create({
    data: {
      id,
      projectId: scope.projectId,
      kind: "s3",
      createdBy: scope.userId,
      urlExpiresAt: expiresAt,
      filename: input.filename,
      folder: input.folder ? sanitizeFolder(input.folder) || null : null,
      totalBytes: BigInt(input.size),
      storageKey,
    },
  });
  return { uploadId: id, key: bucket.bucketKey(storageKey), expiresAt };
}

/** The person's own direct upload in this project; anyone else's (or another project's) does not exist for them. */
async function getDirectUploadOrThrow(scope: DirectUploadScope, uploadId: string): Promise<Upload> {
  const prisma = await db();
  const upload = await prisma.upload.findFirst({ where: { id: uploadId, projectId: scope.projectId, kind: "s3", createdBy: scope.userId } });
  if (!upload) throw notFound("upload_not_found", "upload", uploadId);
  return upload;
}

function assertOpen(upload: Upload): asserts upload is Upload & { storageKey: string } {
  if (upload.status === "completed") throw new AppError("upload_gone", "This upload is already complete.");
  if (upload.status === "failed" || upload.status === "expired" || !upload.storageKey) {
    throw new AppError("upload_gone", upload.error ? `This upload failed: ${upload.error}` : "This upload has ended; upload the file again.");
  }
  if (upload.urlExpiresAt.getTime() < Date.now()) throw new AppError("upload_gone", "This upload has expired; upload the file again.");
}

const notThisUpload = (what: string) => new AppError("forbidden", `This upload may only ${what}.`);

/** The multipart request `request` asks for, if it is one an upload may make. */
function bucketRequestFor(key: string, request: TSignDirectRequest["request"]): BucketRequest {
  const { method, uploadId, partNumber } = request;
  if (!uploadId) {
    if (method === "POST") return { operation: "create", key };
    // PutObject and DeleteObject: the dashboard always uploads in parts, so nothing else writes or removes objects.
    throw notThisUpload("be sent as a multipart upload");
  }
  if (method === "PUT") {
    if (partNumber === undefined || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw new AppError("invalid_input", `A part number runs from 1 to ${MAX_PART_NUMBER}.`, [{ field: "partNumber", message: "out of range" }]);
    }
    return { operation: "part", key, uploadId, partNumber };
  }
  if (method === "GET") return { operation: "list", key, uploadId };
  if (method === "POST") return { operation: "complete", key, uploadId };
  return { operation: "abort", key, uploadId };
}

/**
 * Ties the upload to the multipart upload the browser created, the first time a request names one: the bucket must
 * know it as an upload of this very key. Every later request must name the same one.
 */
async function bindMultipartUpload(bucket: BucketUploads, upload: Upload & { storageKey: string }, s3UploadId: string): Promise<void> {
  if (upload.s3UploadId === s3UploadId) return;
  if (upload.s3UploadId) throw notThisUpload("continue its own multipart upload");
  if (!(await bucket.hasUpload(upload.storageKey, s3UploadId))) throw notThisUpload("continue a multipart upload of its own object");
  const prisma = await db();
  const { count } = await prisma.upload.updateMany({ where: { id: upload.id, s3UploadId: null }, data: { s3UploadId, status: "uploading" } });
  if (count === 1) return;
  // Another request bound one first: it must have been this one.
  const bound = await prisma.upload.findUniqueOrThrow({ where: { id: upload.id }, select: { s3UploadId: true } });
  if (bound.s3UploadId !== s3UploadId) throw notThisUpload("continue its own multipart upload");
}

/** A presigned URL for one S3 request of the upload's own multipart upload; anything else is refused (403). */
export async function signDirectRequest(scope: DirectUploadScope, input: TSignDirectRequest): Promise<SignedBucketRequest> {
  const bucket = requireBucket();
  const upload = await getDirectUploadOrThrow(scope, input.uploadId);
  assertOpen(upload);
  const key = bucket.bucketKey(upload.storageKey);
  if (input.request.key !== key) throw notThisUpload("write its own object");
  const request = bucketRequestFor(upload.storageKey, input.request);
  if (request.operation === "create") {
    // A second multipart upload once parts were sent would leave the first one behind.
    if (upload.s3UploadId) throw notThisUpload("start one multipart upload");
    return { url: await bucket.presign(request, SIGNED_URL_SECONDS), key };
  }
  await bindMultipartUpload(bucket, upload, request.uploadId);
  return { url: await bucket.presign(request, SIGNED_URL_SECONDS) };
}

/** Removes what the upload left in the bucket (its object, an open multipart upload) and ends it with `status`. */
async function discardStaging(upload: Upload, status: "failed" | "expired" | "completed", error?: string): Promise<void> {
  if (upload.storageKey) {
    // A completed upload's multipart upload became its object; any other may still be open.
    if (upload.s3UploadId && status !== "completed") await bucketUploads()?.abortUpload(upload.storageKey, upload.s3UploadId);
    await getStore().delete(upload.storageKey);
  }
  const prisma = await db();
  await prisma.upload.updateMany({ where: { id: upload.id }, data: { storageKey: null } });
  if (status === "completed") return;
  // Never over a completion that got in first.
  await prisma.upload.updateMany({ where: { id: upload.id, status: { not: "completed" } }, data: { status, ...(error ? { error } : {}) } });
}

/** Ends an upload whose object is refused: nothing of it stays, and the reason is kept on the upload. */
async function refuse(upload: Upload, error: AppError): Promise<never> {
  await discardStaging(upload, "failed", error.message);
  throw error;
}

/**
 * After the browser completed its multipart upload: checks the object's size against the announcement and the limit,
 * streams it into scratch space and publishes it (sniffed, probed, stored) exactly once, then deletes the staging
 * object. Refused content leaves nothing behind. A repeated call answers the same file with `created: false`.
 */
export async function completeDirectUpload(scope: DirectUploadScope, input: TCompleteDirectUpload): Promise<CompletedDirectUpload> {
  requireBucket();
  let upload = await getDirectUploadOrThrow(scope, input.uploadId);
  if (upload.status === "completed" && upload.fileId) return { file: await getFileOrThrow(scope, upload.fileId), created: false };
  assertOpen(upload);
  const store = getStore();
  const info = await store.head(upload.storageKey);
  if (!info) {
    // A concurrent completion may have published it and removed the staging object meanwhile.
    upload = await getDirectUploadOrThrow(scope, input.uploadId);
    if (upload.status === "completed" && upload.fileId) return { file: await getFileOrThrow(scope, upload.fileId), created: false };
    throw new AppError("conflict", "The bucket holds no complete object for this upload yet; finish the multipart upload first.");
  }
  const max = env().MEDIABIT_MAX_FILE_BYTES;
  const announced = Number(upload.totalBytes);
  if (info.size > max) return refuse(upload, new AppError("payload_too_large", `The uploaded object is ${info.size} bytes; this server takes at most ${max} bytes per file. Nothing was stored.`));
  if (info.size !== announced) {
    return refuse(upload, new AppError("invalid_input", `The upload announced ${announced} bytes but the bucket holds ${info.size}; nothing was stored.`));
  }

  const sizeChanged = () => new AppError("invalid_input", `The object changed while it was read: more than the announced ${announced} bytes; nothing was stored.`);
  const { body } = await store.get(upload.storageKey);
  const scratch = await writeScratch(body, {
    name: `upload-${upload.id}`,
    check: (_length, total) => (total > announced ? sizeChanged() : undefined),
    tooLarge: () => new AppError("payload_too_large", `The uploaded object is larger than ${max} bytes; nothing was stored.`),
  }).catch((error: unknown) => (error instanceof AppError && error.status < 500 ? refuse(upload, error) : Promise.reject(error)));
  try {
    const { file, created } = await publishUpload(upload.id, { path: scratch.path, size: scratch.size, clientFilename: upload.filename ?? undefined });
    await discardStaging(upload, "completed");
    return { file, created };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return refuse(upload, error);
    throw error;
  } finally {
    await scratch.remove();
  }
}

/**
 * Maintenance: removes what direct uploads left in the bucket — those older than DIRECT_UPLOAD_TTL_MS (their open
 * multipart upload and staging object; the upload turns expired), and the staging objects of ended uploads whose
 * clean-up did not finish. Safe in several processes at once.
 */
export async function sweepDirectUploads(now = Date.now()): Promise<number> {
  const prisma = await db();
  const cutoff = new Date(now - DIRECT_UPLOAD_TTL_MS);
  let removed = 0;
  for (;;) {
    const stale = await prisma.upload.findMany({
      where: { kind: "s3", storageKey: { not: null }, OR: [{ status: { in: ["completed", "failed", "expired"] } }, { createdAt: { lt: cutoff } }] },
      take: SWEEP_BATCH,
      orderBy: { createdAt: "asc" },
    });
    for (const upload of stale) {
      await discardStaging(upload, upload.status === "completed" || upload.status === "failed" ? upload.status : "expired");
      removed++;
    }
    if (stale.length < SWEEP_BATCH) return removed;
  }
}
