// Whole lists for dashboard pages, read through the same services the API uses.
import { listConnections } from "@/lib/connections/connections";
import { db } from "@/lib/db/client";
import type { Connection } from "@/lib/db/generated/client";
import { deliveryUrl } from "@/lib/files/render";
import type { ProjectScope } from "@/lib/keys/keys";
import { listMedia } from "@/lib/media-items/media";
import { kindFromFileName } from "@/lib/media/mime";
import { projectSigningSecret, signedUrl } from "@/lib/storage/signing";

const PAGE_SIZE = 100;

export async function listAllConnections(scope: ProjectScope): Promise<Connection[]> {
  const all: Connection[] = [];
  // Numbered pages rather than cursors: the dashboard shows everything at once.
  for (let page = 1; ; page++) {
    const { items, page: info } = await listConnections(scope, { page, limit: PAGE_SIZE, order: "asc" }, "pages");
    all.push(...items);
    if (!info.hasMore) return all;
  }
}

/** One row of the dashboard's media page: a media item shown by its original file, or an upload being published. */
export type MediaItemView = {
  /** The media id, or for an upload not yet published the upload's id. */
  id: string;
  mediaId: string | null;
  fileId: string | null;
  kind: "video" | "image" | "audio" | null;
  name: string;
  folder: string | null;
  size: number;
  type: string | null;
  status: "waiting" | "processing" | "ready" | "failed";
  /** The delivery URL (signed for an hour or two when the project serves only signed URLs); null until the file exists. */
  url: string | null;
  /** A still image of the item: the image itself, or an image file made from a video. */
  thumbnailUrl: string | null;
  width: number | null;
  height: number | null;
  duration: number | null;
  createdAt: string;
};

const KINDS = new Set(["video", "image", "audio"]);
// Signed links end on a whole hour, so refetching the list does not change them (and reload every thumbnail).
const SIGNED_LINK_HOURS = 2;

/** The newest media items of the project (one page), with the total so the page can say what it does not show. */
export async function listMediaLibrary(scope: ProjectScope, origin: string): Promise<{ items: MediaItemView[]; total: number }> {
  const prisma = await db();
  const project = await prisma.project.findUniqueOrThrow({ where: { id: scope.projectId }, select: { alias: true, deliveryAccess: true } });
  const { items, page } = await listMedia(scope, { limit: PAGE_SIZE, page: 1 }, "pages");
  const expiry = (Math.floor(Date.now() / 3_600_000) + SIGNED_LINK_HOURS) * 3600;
  const link = (path: string) =>
    project.deliveryAccess === "signed"
      ? signedUrl({ origin: `${origin}/f/${encodeURIComponent(project.alias)}`, path, expiry, method: "get", secret: projectSigningSecret(scope.projectId) })
      : deliveryUrl(origin, project.alias, path);
  const views = items.map((media): MediaItemView => {
    const file = media.files.find((f) => f.original) ?? media.files[0] ?? null;
    const still = file?.kind === "image" ? file : media.files.find((f) => f.kind === "image" && f.status === "ready" && !f.packageDir);
    const kind = media.kind ?? file?.kind ?? null;
    return {
      id: media.id,
      mediaId: media.id,
      fileId: file?.id ?? null,
      kind: kind && KINDS.has(kind) ? (kind as MediaItemView["kind"]) : null,
      name: media.title ?? file?.filename ?? media.id,
      folder: file?.folder ?? null,
      size: Number(file?.filesize ?? 0),
      type: file?.type ?? null,
      status: file?.status ?? "waiting",
      url: file?.status === "ready" ? link(file.path) : null,
      thumbnailUrl: still?.status === "ready" ? link(still.path) : null,
      width: file?.width ?? null,
      height: file?.height ?? null,
      duration: file?.duration ?? null,
      createdAt: media.createdAt.toISOString(),
    };
  });
  const publishing = (await listPublishingUploads(scope)).map(
    (upload): MediaItemView => ({
      id: upload.id,
      mediaId: null,
      fileId: null,
      kind: upload.filename ? kindFromFileName(upload.filename) : null,
      name: upload.filename ?? "Upload",
      folder: upload.folder,
      size: Number(upload.totalBytes ?? upload.bytesReceived),
      type: null,
      status: "processing",
      url: null,
      thumbnailUrl: null,
      width: null,
      height: null,
      duration: null,
      createdAt: upload.createdAt.toISOString(),
    }),
  );
  const merged = [...publishing, ...views].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, PAGE_SIZE);
  return { items: merged, total: (page.page?.total ?? views.length) + publishing.length };
}

// An upload whose last byte came longer ago than this is not being published any more (it failed or was abandoned).
const PUBLISHING_WITHIN_MS = 10 * 60 * 1000;

/** Uploads (any way in) whose bytes have all arrived and whose file is still being checked and stored. */
async function listPublishingUploads(scope: ProjectScope) {
  const prisma = await db();
  const uploads = await prisma.upload.findMany({
    where: { projectId: scope.projectId, status: "uploading", fileId: null, totalBytes: { not: null }, lastByteAt: { gte: new Date(Date.now() - PUBLISHING_WITHIN_MS) } },
    select: { id: true, filename: true, folder: true, totalBytes: true, bytesReceived: true, createdAt: true },
    orderBy: { createdAt: "desc" },
    take: PAGE_SIZE,
  });
  return uploads.filter((upload) => upload.totalBytes !== null && upload.bytesReceived >= upload.totalBytes);
}
