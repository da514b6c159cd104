// Whole lists for dashboard pages, read through the same services the API uses.
import { listConnections } from "@/lib/connections/connections";
import { db } from "@/lib/db/client";
import type { Connection } from "@/lib/db/generated/client";
import { deliveryUrl } from "@/lib/files/render";
import type { ProjectScope } from "@/lib/keys/keys";
import { listMedia } from "@/lib/media-items/media";
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

/** One row of the dashboard's media page: a media item shown by its original file. */
export type MediaItemView = {
  mediaId: string;
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

export const MEDIA_PAGE_SIZE = 100;
const KINDS = new Set(["video", "image", "audio"]);
// Signed links end on a whole hour, so refetching the list does not change them (and reload every thumbnail).
const SIGNED_LINK_HOURS = 2;

/** The newest media items of the project (one page), with the total so the page can say what it does not show. */
export async function listMediaLibrary(scope: ProjectScope, origin: string): Promise<{ items: MediaItemView[]; total: number }> {
  const prisma = await db();
  const project = await prisma.project.findUniqueOrThrow({ where: { id: scope.projectId }, select: { alias: true, deliveryAccess: true } });
  const { items, page } = await listMedia(scope, { limit: MEDIA_PAGE_SIZE, page: 1 }, "pages");
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
  return { items: views, total: page.page?.total ?? views.length };
}
