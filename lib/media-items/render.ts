import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import { renderFile, type RenderOrigin } from "@/lib/files/render";
import type { MediaWithFiles } from "@/lib/media-items/media";

export function renderMedia(profile: Profile, media: MediaWithFiles, origin: string): Record<string, unknown> {
  const at: RenderOrigin = { origin, alias: media.project.alias };
  const files = media.files.filter((f) => f.status !== "failed").map((f) => {
    const { media_id: _mediaId, ...rest } = renderFile(profile, f, at);
    return rest;
  });
  const urls: Record<string, string> = {};
  for (const file of files) if (typeof file.ref === "string" && file.status === "ready") urls[file.ref] ??= file.url as string;
  const original = media.files.find((f) => f.original) ?? media.files[0];
  return {
    id: media.id,
    object: "media",
    kind: media.kind ?? original?.kind ?? null,
    title: media.title,
    alt: media.alt,
    width: original?.width ?? null,
    height: original?.height ?? null,
    duration: original?.duration ?? null,
    files,
    // Older clients read `sources` (A generation).
    sources: files.filter((f) => f.object === "source"),
    urls,
    metadata: media.metadata,
    expires: media.expiresAt?.toISOString() ?? null,
    status: media.deletedAt ? "deleted" : files.some((f) => f.status === "processing") ? "processing" : "ready",
    ...renderTimes(profile, "b", { created: media.createdAt, updated: media.updatedAt }),
  };
}
