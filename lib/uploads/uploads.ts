// Generation A upload URLs: a capability URL (`/u/<token>`) that takes one upload by multipart POST, raw PUT or tus,
// and the upload rows behind it (created, listed, looked up by token, marked as bytes arrive, expired by a sweep).
import { AppError, notFound } from "@/lib/api/errors";
import { paginate, type PageMode } from "@/lib/api/pagination";
import { CURRENT_VERSION, profileForVersion, type Profile } from "@/lib/api/version";
import { db } from "@/lib/db/client";
import type { Prisma, Upload } from "@/lib/db/generated/client";
import { newId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";
import { sanitizeFilename, sanitizeFolder } from "@/lib/storage/object-key";
import { ZCreateUpload, type TCreateUploadInput, type TListUploads } from "@/lib/uploads/schemas";
import { hashUploadToken, isWellFormedToken, newUploadToken, uploadUrl } from "@/lib/uploads/token";

/** Once bytes have arrived, an unfinished upload stays resumable this long after its last byte, whatever its timeout. */
export const RESUMABLE_FOR_MS = 24 * 3600 * 1000;

export type UploadKind = "url" | "session";

export type CreateUploadOptions = {
  kind: UploadKind;
  /** Who made it: an API key id or a dashboard user id; the created media's `created_by`. */
  createdBy?: string;
  apiKeyId?: string;
  /** The API profile the capability URL answers in; defaults to the current one. */
  profile?: Profile;
  /** The origin the caller reached (requestOrigin), where the URL points. */
  origin: string;
};

export type CreatedUpload = { upload: Upload; url: string };

/** Creates an upload and its capability URL; the URL (holding the token) is returned only here, never stored. */
export async function createUploadUrl(scope: ProjectScope, input: TCreateUploadInput, options: CreateUploadOptions): Promise<CreatedUpload> {
  const parsed = ZCreateUpload.parse(input);
  const token = newUploadToken();
  const prisma = await db();
  const upload = await prisma.upload.create({
    data: {
      id: newId("upl"),
      projectId: scope.projectId,
      kind: options.kind,
      profile: options.profile?.version ?? null,
      apiKeyId: options.apiKeyId ?? null,
      createdBy: options.createdBy ?? null,
      tokenHash: hashUploadToken(token),
      urlExpiresAt: new Date(Date.now() + parsed.timeout * 1000),
      folder: parsed.folder ? sanitizeFolder(parsed.folder) || null : null,
      filename: parsed.filename ? sanitizeFilename(parsed.filename) : null,
      metadata: (parsed.metadata ?? {}) as Prisma.InputJsonValue,
      mediaExpiresIn: parsed.expires ?? null,
      workflowId: parsed.workflow_id ?? null,
    },
  });
  return { upload, url: uploadUrl(options.origin, token) };
}

const CAPABILITY_KINDS = ["url", "session"];

export async function getUploadOrThrow(scope: ProjectScope, id: string): Promise<Upload> {
  const prisma = await db();
  const upload = await prisma.upload.findFirst({ where: { id, projectId: scope.projectId, kind: { in: CAPABILITY_KINDS } } });
  if (!upload) throw notFound("upload_not_found", "upload", id);
  return upload;
}

export async function listUploads(scope: ProjectScope, query: TListUploads, mode: PageMode) {
  const prisma = await db();
  const where: Prisma.UploadWhereInput = { projectId: scope.projectId, kind: { in: CAPABILITY_KINDS }, ...(query.status ? { status: query.status } : {}) };
  return paginate({
    query,
    mode,
    count: () => prisma.upload.count({ where }),
    fetch: ({ where: cursor, orderBy, skip, take }) => prisma.upload.findMany({ where: { ...where, ...cursor }, orderBy, skip, take }),
    findCursor: (id) => prisma.upload.findFirst({ where: { ...where, id }, select: { id: true, createdAt: true } }),
  });
}

/** Until then an upload may (still) send bytes: its URL's timeout, or 24 h after its last byte once it has started. */
export function uploadDeadline(upload: Pick<Upload, "urlExpiresAt" | "lastByteAt">): Date {
  if (!upload.lastByteAt) return upload.urlExpiresAt;
  return new Date(Math.max(upload.urlExpiresAt.getTime(), upload.lastByteAt.getTime() + RESUMABLE_FOR_MS));
}

/** What a reader sees: a waiting upload past its deadline is expired even before the sweep marks it. */
export function effectiveStatus(upload: Upload, now = new Date()): Upload["status"] {
  if ((upload.status === "waiting" || upload.status === "uploading") && uploadDeadline(upload) < now) return "expired";
  return upload.status;
}

/** The profile a capability URL answers in: the one of the call that created it. */
export function uploadProfile(upload: Pick<Upload, "profile">): Profile {
  return profileForVersion(upload.profile ?? CURRENT_VERSION);
}

/** The upload a capability token names: unknown (or not a token) → 404. */
export async function findUploadByToken(token: string): Promise<Upload> {
  const unknown = new AppError("upload_not_found", "No upload URL with this token. Create one with POST /api/uploads.");
  if (!isWellFormedToken(token)) throw unknown;
  const prisma = await db();
  const upload = await prisma.upload.findUnique({ where: { tokenHash: hashUploadToken(token) } });
  if (!upload || !CAPABILITY_KINDS.includes(upload.kind)) throw unknown;
  return upload;
}

/** May the upload (still) take bytes? Completed, expired or failed → 410. Checked before any byte is read, so a refusal stores nothing. */
export function assertUploadOpen(upload: Upload): void {
  if (upload.status === "completed") throw new AppError("upload_gone", "This upload URL has been used: it took one upload, which is complete. Create a new one.");
  const status = effectiveStatus(upload);
  if (status === "expired" || status === "failed") throw new AppError("upload_gone", `This upload URL expired at ${uploadDeadline(upload).toISOString()}. Create a new one.`);
}

/** Records bytes arriving: status `uploading`, the count so far and when the last byte came. Never touches a completed upload. */
export async function recordProgress(uploadId: string, bytesReceived: number): Promise<void> {
  const prisma = await db();
  await prisma.upload.updateMany({
    where: { id: uploadId, status: { in: ["waiting", "uploading"] } },
    data: { status: "uploading", bytesReceived: BigInt(bytesReceived), lastByteAt: new Date() },
  });
}

const PROGRESS_EVERY_MS = 1000;
const PROGRESS_EVERY_BYTES = 8 * 1024 * 1024;

/**
 * recordProgress at most once a second or every 8 MiB, one write in flight, so a fast upload costs few queries.
 * `flush(total)` records the final count; `settle()` only waits for the write in flight (before resetting the row).
 */
export function progressRecorder(uploadId: string): { add: (total: number) => void; flush: (total: number) => Promise<void>; settle: () => Promise<void> } {
  let lastAt = 0;
  let lastBytes = 0;
  let writing: Promise<void> | null = null;
  const write = (total: number) => {
    lastAt = Date.now();
    lastBytes = total;
    writing = recordProgress(uploadId, total)
      .catch((error: unknown) => console.error(`upload ${uploadId}: progress not recorded`, error))
      .finally(() => (writing = null));
  };
  return {
    add(total) {
      if (writing) return;
      if (Date.now() - lastAt >= PROGRESS_EVERY_MS || total - lastBytes >= PROGRESS_EVERY_BYTES) write(total);
    },
    async flush(total) {
      await writing;
      await recordProgress(uploadId, total).catch(() => undefined);
    },
    async settle() {
      await writing;
    },
  };
}

/** Marks uploads whose URL passed its deadline unused (or whose resumable window closed) as expired; returns them. */
export async function expireUploads(now = new Date()): Promise<Upload[]> {
  const prisma = await db();
  const candidates = await prisma.upload.findMany({
    where: { kind: { in: CAPABILITY_KINDS }, status: { in: ["waiting", "uploading"] }, urlExpiresAt: { lt: now } },
    take: 500,
  });
  const expired = candidates.filter((upload) => uploadDeadline(upload) < now);
  if (expired.length === 0) return [];
  // A byte arriving since the read keeps its upload alive.
  const idle = { OR: [{ lastByteAt: null }, { lastByteAt: { lt: new Date(now.getTime() - RESUMABLE_FOR_MS) } }] };
  await prisma.upload.updateMany({ where: { id: { in: expired.map((u) => u.id) }, status: { in: ["waiting", "uploading"] }, ...idle }, data: { status: "expired" } });
  return expired;
}
