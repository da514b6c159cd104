// Media items group the files made from one original (the source and its renditions, tracks).
import { AppError, notFound } from "@/lib/api/errors";
import { mergeMetadata } from "@/lib/api/metadata";
import { paginate, type PageMode } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import type { File, Media, Prisma } from "@/lib/db/generated/client";
import { createFileFromUrl } from "@/lib/files/create";
import { removeStoredBytes } from "@/lib/files/files";
import { canonicalId, newId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";
import { EXPIRY_BOUNDS, type TCreateMedia, type TListMedia, type TUpdateMedia } from "@/lib/media-items/schemas";

export type MediaWithFiles = Media & { files: File[]; project: { alias: string } };
const withFiles = {
  files: { orderBy: [{ original: "desc" as const }, { createdAt: "asc" as const }] },
  project: { select: { alias: true } },
} satisfies Prisma.MediaInclude;

export async function createEmptyMedia(scope: ProjectScope, input: { title?: string; alt?: string; metadata?: Record<string, unknown>; createdBy?: string }): Promise<MediaWithFiles> {
  const prisma = await db();
  return prisma.media.create({
    data: {
      id: newId("med"),
      projectId: scope.projectId,
      title: input.title ?? null,
      alt: input.alt ?? null,
      metadata: (input.metadata ?? {}) as Prisma.InputJsonValue,
      createdBy: input.createdBy ?? null,
    },
    include: withFiles,
  });
}

/**
 * POST /media with `url` (A): the item, then its original ingested into it. If the ingest fails, the item goes
 * too (with whatever the failed ingest left), so a failure leaves nothing behind.
 */
export async function createMediaFromUrl(
  scope: ProjectScope,
  input: TCreateMedia & { url: string },
  options: { createdBy?: string; signal?: AbortSignal } = {},
): Promise<MediaWithFiles> {
  const { url, folder, filename, connection_id, ...fields } = input;
  const media = await createEmptyMedia(scope, { ...fields, createdBy: options.createdBy });
  try {
    await createFileFromUrl(scope, { url, folder, filename, connection_id, media_id: media.id, ref: "original" }, options);
  } catch (error) {
    const prisma = await db();
    // Only while it holds no file: a ready file means the ingest did store something after all.
    await prisma.media.deleteMany({ where: { id: media.id, projectId: scope.projectId, files: { none: { status: "ready" } } } });
    throw error;
  }
  return getMediaOrThrow(scope, media.id);
}

/** Deleted media still answer GET (with status `deleted` and no files), as seed 003 describes. */
export async function getMediaOrThrow(scope: ProjectScope, id: string): Promise<MediaWithFiles> {
  const prisma = await db();
  const media = await prisma.media.findFirst({ where: { id: canonicalId(id), projectId: scope.projectId }, include: withFiles });
  if (!media) throw notFound("media_not_found", "media item", id);
  return media;
}

export async function listMedia(scope: ProjectScope, query: TListMedia, mode: PageMode) {
  const prisma = await db();
  const where: Prisma.MediaWhereInput = { projectId: scope.projectId, deletedAt: null, ...(query.kind ? { kind: query.kind } : {}) };
  return paginate({
    query,
    mode,
    count: () => prisma.media.count({ where }),
    fetch: ({ where: cursor, orderBy, skip, take }) => prisma.media.findMany({ where: { ...where, ...cursor }, orderBy, skip, take, include: withFiles }),
    findCursor: (id) => prisma.media.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
}

function expiryFrom(input: TUpdateMedia, now: Date): Date | null | undefined {
  if (input.timeout !== undefined) return input.timeout === null ? null : new Date(now.getTime() + input.timeout * 1000);
  if (input.expires === undefined) return undefined;
  if (input.expires === null) return null;
  const at = new Date(input.expires);
  const seconds = (at.getTime() - now.getTime()) / 1000;
  if (seconds < EXPIRY_BOUNDS.minSeconds || seconds > EXPIRY_BOUNDS.maxSeconds) {
    throw new AppError("request_invalid", "expires: must be between 60 seconds and 365 days from now.", [{ field: "expires", message: "out of range" }]);
  }
  return at;
}

export async function updateMedia(scope: ProjectScope, id: string, input: TUpdateMedia): Promise<MediaWithFiles> {
  const media = await getMediaOrThrow(scope, id);
  if (media.deletedAt) throw new AppError("conflict", `Media ${media.id} was deleted; it cannot be changed.`);
  const prisma = await db();
  return prisma.media.update({
    where: { id: media.id },
    data: {
      title: input.title,
      alt: input.alt,
      metadata: input.metadata ? (mergeMetadata(media.metadata, input.metadata) as Prisma.InputJsonValue) : undefined,
      expiresAt: expiryFrom(input, new Date()),
    },
    include: withFiles,
  });
}

/** Removes every file and its bytes; the item itself stays as a `deleted` tombstone. */
export async function deleteMedia(scope: ProjectScope, id: string): Promise<MediaWithFiles> {
  const media = await getMediaOrThrow(scope, id);
  const prisma = await db();
  await prisma.$transaction([
    prisma.file.deleteMany({ where: { mediaId: media.id } }),
    prisma.media.update({ where: { id: media.id }, data: { deletedAt: media.deletedAt ?? new Date(), expiresAt: null } }),
  ]);
  for (const file of media.files) await removeStoredBytes(file);
  return getMediaOrThrow(scope, media.id);
}

/** Maintenance: media whose `expires` has passed are deleted like DELETE /media/{id}. */
export async function deleteExpiredMedia(now = new Date()): Promise<number> {
  const prisma = await db();
  const expired = await prisma.media.findMany({ where: { expiresAt: { lte: now }, deletedAt: null }, select: { id: true, projectId: true, project: { select: { orgId: true } } }, take: 200 });
  for (const media of expired) await deleteMedia({ projectId: media.projectId, orgId: media.project.orgId }, media.id);
  return expired.length;
}
