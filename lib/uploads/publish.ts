// The one way an upload's bytes become a file, whichever way they came (upload URL, tus, PUT, chunks, the bucket):
// a complete, durable local file → refused unless media → probed → published into the store together with its
// media and file rows (or as the next version of the file at a PUT's path), exactly once per upload.
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { File, Prisma, Upload } from "@/lib/db/generated/client";
import { createPendingFile, deliveryPath, type FileWithProject } from "@/lib/files/files";
import { extensionFor, fileFactsFromProbe, publishFileRow, stageFile } from "@/lib/files/publish";
import { newId, randomToken } from "@/lib/ids";
import { probeFile, readFirstBytes, type TProbe } from "@/lib/media/probe";
import { refuseNonMedia, sniffMedia } from "@/lib/media/sniff";
import { objectKey, sanitizeFilename, sanitizeFolder } from "@/lib/storage/object-key";
import { getStore } from "@/lib/storage/store";

/** Bytes that arrived whole: a local file, flushed to disk. */
export type ReceivedBytes = {
  path: string;
  size: number;
  /** The name the client gave the bytes (a multipart part's filename); the upload's own `filename` wins. */
  clientFilename?: string;
};

export type PublishedUpload = { file: FileWithProject; upload: Upload; created: boolean };

/** Uploads addressed by a delivery path (PUT /f/…): a second upload to the path replaces the file's bytes. */
const PATH_ADDRESSED = new Set(["put", "chunked"]);

/** Kept on the upload when publishing fails for a reason of the content, so `GET /uploads/{id}` can say why. */
async function recordFailure(uploadId: string, error: unknown): Promise<void> {
  if (!(error instanceof AppError) || error.status >= 500) return;
  const prisma = await db();
  await prisma.upload.updateMany({ where: { id: uploadId, status: { not: "completed" } }, data: { error: error.message } });
}

function withAlias(fileId: string) {
  return db().then((prisma) => prisma.file.findUniqueOrThrow({ where: { id: fileId }, include: { project: { select: { alias: true } } } }));
}

/**
 * Publishes `received` as the result of upload `uploadId`. The caller keeps ownership of `received.path` (remove it
 * afterwards; on success it has usually been moved away already). A second call for a completed upload, e.g. a client
 * retrying its final request, publishes nothing and answers the same file with `created: false`.
 */
export async function publishUpload(uploadId: string, received: ReceivedBytes, options: { signal?: AbortSignal } = {}): Promise<PublishedUpload> {
  const prisma = await db();
  const upload = await prisma.upload.findUniqueOrThrow({ where: { id: uploadId } });
  if (upload.status === "completed" && upload.fileId) return { file: await withAlias(upload.fileId), upload, created: false };
  try {
    return await publish(upload, received, options.signal).catch((error: unknown) => {
      // Two PUTs to a new path at once: the one that lost the race to create the file publishes its next version.
      if (error instanceof AppError && error.code === "conflict" && PATH_ADDRESSED.has(upload.kind)) return publish(upload, received, options.signal);
      throw error;
    });
  } catch (error) {
    if (error instanceof AlreadyCompleted) {
      const done = await prisma.upload.findUniqueOrThrow({ where: { id: uploadId } });
      return { file: await withAlias(done.fileId ?? ""), upload: done, created: false };
    }
    await recordFailure(uploadId, error);
    throw error;
  }
}

class AlreadyCompleted extends Error {}

async function publish(upload: Upload, received: ReceivedBytes, signal: AbortSignal | undefined): Promise<PublishedUpload> {
  if (received.size === 0) throw new AppError("invalid_input", "The upload is empty (0 bytes); nothing was stored.");
  if (upload.totalBytes !== null && BigInt(received.size) !== upload.totalBytes) {
    throw new AppError("invalid_input", `The upload announced ${upload.totalBytes} bytes but ${received.size} arrived; nothing was stored.`);
  }
  const head = await readFirstBytes(received.path);
  refuseNonMedia(head, "The upload is");
  const probe = await probeFile(received.path, { hint: sniffMedia(head), signal });

  const prisma = await db();
  const folder = upload.folder ? sanitizeFolder(upload.folder) || null : null;
  const named = upload.filename ?? received.clientFilename;
  const replaced = PATH_ADDRESSED.has(upload.kind) && named ? await prisma.file.findUnique({ where: { projectId_path: { projectId: upload.projectId, path: deliveryPath(folder, sanitizeFilename(named)) } } }) : null;
  if (replaced && replaced.packageDir) throw new AppError("conflict", `'${replaced.path}' is a package (${replaced.type}); upload to another path.`);
  const fileId = replaced?.id ?? newId("file");
  const filename = replaced?.filename ?? (named ? await freeName(upload.projectId, folder, sanitizeFilename(named)) : `${fileId}.${extensionFor(probe)}`);
  // Each version has its own key (unique even when two PUTs replace the same file at once), so replacing bytes never
  // overwrites what a reader may still be streaming.
  const key = objectKey({ projectId: upload.projectId, fileId, name: replaced ? `v${replaced.version + 1}-${randomToken(6)}-${filename}` : filename });
  const staged = await stageFile(key, received.path, probe.mime, received.size);

  const mediaId = replaced?.mediaId ?? newId("med");
  let superseded: string | null = null;
  // The file as this publish left it (another PUT to its path may have made a later version by the time it answers).
  let published: FileWithProject | undefined;
  try {
    await prisma.$transaction(
      async (tx) => {
        const { count } = await tx.upload.updateMany({
          where: { id: upload.id, status: { not: "completed" } },
          data: { status: "completed", fileId, mediaId, bytesReceived: BigInt(received.size), completedAt: new Date(), error: null },
        });
        if (count === 0) throw new AlreadyCompleted();
        // Rows first: a path taken meanwhile fails here, before the bytes move, so the caller can publish again.
        if (replaced) {
          const [current] = await tx.$queryRaw<{ storage_key: string | null }[]>`SELECT storage_key FROM files WHERE id = ${replaced.id} FOR UPDATE`;
          superseded = current?.storage_key ?? null;
        } else {
          await createMediaAndFile(tx, upload, { fileId, mediaId, folder, filename, probe });
        }
        const stored = await staged.commit();
        const facts = fileFactsFromProbe(probe, { key, size: stored.size, etag: stored.etag });
        if (replaced) {
          published = await tx.file.update({ where: { id: replaced.id }, data: { ...facts, version: { increment: 1 } }, include: { project: { select: { alias: true } } } });
          await tx.media.update({ where: { id: replaced.mediaId }, data: { kind: probe.kind } });
        } else {
          await publishFileRow(tx, fileId, facts, { defaultNamed: false, folder, filename });
          published = await tx.file.findUniqueOrThrow({ where: { id: fileId }, include: { project: { select: { alias: true } } } });
        }
      },
      { timeout: 60_000 },
    );
  } catch (error) {
    await staged.abort();
    throw error;
  }
  // The replaced version's bytes; if this delete fails, the orphaned-bytes sweep (lib/files/orphaned-bytes.ts) removes them.
  if (superseded && superseded !== key) {
    await getStore()
      .delete(superseded)
      .catch((error: unknown) => console.warn(`[uploads] could not delete replaced bytes ${superseded}; the sweep will: ${String(error)}`));
  }
  const done = await prisma.upload.findUniqueOrThrow({ where: { id: upload.id } });
  if (!published) throw new Error(`upload ${upload.id} published no file`);
  return { file: published, upload: done, created: true };
}

async function createMediaAndFile(tx: Prisma.TransactionClient, upload: Upload, names: { fileId: string; mediaId: string; folder: string | null; filename: string; probe: TProbe }): Promise<File> {
  const metadata = (upload.metadata ?? {}) as Record<string, unknown>;
  const expiresAt = upload.mediaExpiresIn ? new Date(Date.now() + upload.mediaExpiresIn * 1000) : null;
  const createdBy = upload.createdBy ?? upload.id;
  await tx.media.create({ data: { id: names.mediaId, projectId: upload.projectId, kind: names.probe.kind, metadata: metadata as Prisma.InputJsonValue, expiresAt, createdBy } });
  return createPendingFile(tx, {
    id: names.fileId,
    projectId: upload.projectId,
    mediaId: names.mediaId,
    folder: names.folder,
    filename: names.filename,
    ref: "original",
    metadata,
    original: true,
    kind: names.probe.kind,
    createdBy,
  });
}

/** An upload URL names a new file: when its name is taken in the folder, the new one gets a short suffix instead of a 409. */
async function freeName(projectId: string, folder: string | null, filename: string): Promise<string> {
  const prisma = await db();
  const taken = await prisma.file.findUnique({ where: { projectId_path: { projectId, path: deliveryPath(folder, filename) } }, select: { id: true } });
  if (!taken) return filename;
  const dot = filename.lastIndexOf(".");
  const [stem, extension] = dot > 0 ? [filename.slice(0, dot), filename.slice(dot)] : [filename, ""];
  return sanitizeFilename(`${stem}-${randomToken(6)}${extension}`);
}
