// Files: stored bytes plus what probing learnt about them; each belongs to a media item.
import { AppError, notFound } from "@/lib/api/errors";
import { mergeMetadata } from "@/lib/api/metadata";
import { paginate, type PageMode } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import { Prisma, type File } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/engine/types";
import type { TListFiles, TUpdateFile } from "@/lib/files/schemas";
import { canonicalId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";
import { fileKeyPrefix, sanitizeFilename, sanitizeFolder } from "@/lib/storage/object-key";
import { getStore } from "@/lib/storage/store";

export type FileWithProject = File & { project: { alias: string } };

export function deliveryPath(folder: string | null | undefined, filename: string): string {
  return folder ? `${folder}/${filename}` : filename;
}

function pathTaken(path: string): AppError {
  return new AppError("conflict", `A file already exists at '${path}' in this project. Choose another folder or filename.`);
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** The placeholder row an ingest or transform fills in when its bytes are published. */
export async function createPendingFile(
  tx: Tx,
  input: {
    id: string;
    projectId: string;
    mediaId: string;
    folder?: string | null;
    filename?: string | null;
    ref?: string | null;
    metadata?: Record<string, unknown>;
    original?: boolean;
    object?: string;
    /** Known before the bytes exist for transform outputs; probing sets the final value. */
    kind?: string | null;
    createdBy?: string | null;
  },
): Promise<File> {
  const folder = input.folder ? sanitizeFolder(input.folder) || null : null;
  // Without a filename the file is named after its id; the extension is added once it is known.
  const filename = input.filename ? sanitizeFilename(input.filename) : input.id;
  const path = deliveryPath(folder, filename);
  try {
    return await tx.file.create({
      data: {
        id: input.id,
        projectId: input.projectId,
        mediaId: input.mediaId,
        folder,
        filename,
        path,
        ref: input.ref ?? null,
        metadata: (input.metadata ?? {}) as Prisma.InputJsonValue,
        original: input.original ?? false,
        object: input.object ?? "source",
        kind: input.kind ?? null,
        createdBy: input.createdBy ?? null,
        status: "processing",
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw pathTaken(path);
    throw error;
  }
}

export async function getFileOrThrow(scope: ProjectScope, id: string): Promise<FileWithProject> {
  const prisma = await db();
  const file = await prisma.file.findFirst({ where: { id: canonicalId(id), projectId: scope.projectId }, include: { project: { select: { alias: true } } } });
  if (!file) throw notFound("file_not_found", "file", id);
  return file;
}

export async function listFiles(scope: ProjectScope, query: TListFiles, mode: PageMode) {
  const prisma = await db();
  const where: Prisma.FileWhereInput = {
    projectId: scope.projectId,
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.object ? { object: query.object } : {}),
    ...(query.media_id ? { mediaId: canonicalId(query.media_id) } : {}),
    ...(query.folder !== undefined ? { folder: query.folder || null } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.ref ? { ref: query.ref } : {}),
  };
  return paginate({
    query,
    mode,
    count: () => prisma.file.count({ where }),
    fetch: ({ where: cursor, orderBy, skip, take }) =>
      prisma.file.findMany({ where: { ...where, ...cursor }, orderBy, skip, take, include: { project: { select: { alias: true } } } }),
    findCursor: (id) => prisma.file.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
}

/** Renames move the delivery URL (the stored object keeps its key); metadata merges. */
export async function updateFile(scope: ProjectScope, id: string, input: TUpdateFile): Promise<FileWithProject> {
  const file = await getFileOrThrow(scope, id);
  if (file.packageDir && (input.folder !== undefined || input.filename !== undefined)) {
    // A playlist's segments are addressed relative to it: moving the entry point alone would break them.
    throw new AppError("conflict", `File ${file.id} is a package (${file.type}); its folder and filename cannot change.`);
  }
  const folder = input.folder === undefined ? file.folder : input.folder ? sanitizeFolder(input.folder) || null : null;
  const filename = input.filename === undefined ? file.filename : sanitizeFilename(input.filename);
  const path = deliveryPath(folder, filename);
  const prisma = await db();
  try {
    return await prisma.file.update({
      where: { id: file.id },
      data: {
        folder,
        filename,
        path,
        ref: input.ref === undefined ? undefined : input.ref,
        metadata: input.metadata ? (mergeMetadata(file.metadata, input.metadata) as Prisma.InputJsonValue) : undefined,
      },
      include: { project: { select: { alias: true } } },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw pathTaken(path);
    throw error;
  }
}

/** Permanent: the row goes, then the bytes (a crash in between leaves bytes the sweeper can find). */
export async function deleteFile(scope: ProjectScope, id: string): Promise<File> {
  const file = await getFileOrThrow(scope, id);
  const prisma = await db();
  await prisma.file.delete({ where: { id: file.id } });
  await removeStoredBytes(file);
  return file;
}

export async function removeStoredBytes(file: Pick<File, "projectId" | "id">): Promise<void> {
  await getStore().deletePrefix(fileKeyPrefix({ projectId: file.projectId, fileId: file.id }));
}
