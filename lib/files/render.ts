// A file in the shape the SDKs read (sdk-wire.md §6.1), with its delivery URL on this server.
import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import type { File } from "@/lib/db/generated/client";

export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** Files are served by this app under /f/<project alias>/<folder>/<filename>. */
export function deliveryUrl(origin: string, alias: string, path: string): string {
  return `${origin}/f/${encodeURIComponent(alias)}/${encodePath(path)}`;
}

export type RenderOrigin = { origin: string; alias: string };

type ProbeExtras = { codecs?: unknown; audio?: { channels?: number; sample_rate?: number; codec?: string } | null };

export function renderFile(profile: Profile, file: File, at: RenderOrigin): Record<string, unknown> {
  const probe = (file.probe ?? {}) as ProbeExtras;
  return {
    id: file.id,
    media_id: file.mediaId,
    object: file.object,
    kind: file.kind,
    // Required by the 1.0.0 SDKs (PHP1 throws on null): a file not yet probed has no known MIME type yet.
    type: file.type ?? "application/octet-stream",
    codec: file.codec,
    container: file.container,
    width: file.width,
    height: file.height,
    orientation: file.orientation,
    rotation: file.rotation,
    transparency: file.transparency,
    animated: file.animated,
    frames: file.frames,
    duration: file.duration,
    fps: file.fps,
    filesize: Number(file.filesize),
    bitrate: file.bitrate,
    channels: probe.audio?.channels ?? null,
    sample_rate: probe.audio?.sample_rate ?? null,
    codecs: probe.codecs ?? null,
    ref: file.ref,
    folder: file.folder,
    filename: file.filename,
    url: deliveryUrl(at.origin, at.alias, file.path),
    metadata: file.metadata,
    original: file.original,
    created_by: file.createdBy,
    status: file.status,
    // Generation B upload responses carry it (spec/files-and-media.md §1): 1, then +1 each time a PUT replaces the bytes.
    ...(profile.name === "current" ? {} : { version: file.version }),
    ...renderTimes(profile, "b", { created: file.createdAt, updated: file.updatedAt }),
  };
}
