// Moving finished bytes into the project store without ever exposing a partial object: bytes are
// staged out of sight, and made visible inside the engine's fence together with the file row.
import type { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/engine/types";
import type { TProbe } from "@/lib/media/probe";
import { getStore, type PutResult } from "@/lib/storage/store";

export type Staged = { commit(): Promise<PutResult>; abort(): Promise<void> };

const EXTENSIONS: Record<string, string> = { jpeg: "jpg", matroska: "mkv", mpegts: "ts", quicktime: "mov", vorbis: "ogg" };

export function extensionFor(probe: Pick<TProbe, "container">): string {
  return EXTENSIONS[probe.container] ?? probe.container;
}

/**
 * Local store: the file is renamed into place at commit (same disk, no copy). S3: the bytes are
 * uploaded now as an incomplete multipart upload and completed at commit.
 */
export async function stageFile(key: string, localPath: string, contentType: string, size: number): Promise<Staged> {
  const store = getStore();
  if (store.stageLocalFile) return store.stageLocalFile(key, localPath, { contentType, size });
  const pending = await store.beginUpload(key, { contentType, size });
  try {
    await pending.write(localPath);
  } catch (error) {
    await pending.abort();
    throw error;
  }
  return pending;
}

/** The probe facts a file row keeps, with the stored object's key and size. */
export function fileFactsFromProbe(probe: TProbe, stored: { key: string; size: number; etag: string }): Prisma.FileUpdateManyMutationInput {
  return {
    kind: probe.kind,
    type: probe.type,
    container: probe.container,
    codec: probe.video?.codec ?? probe.audio?.codec ?? (probe.kind === "image" ? probe.container : null),
    width: probe.width ?? null,
    height: probe.height ?? null,
    rotation: probe.rotation,
    orientation: probe.orientation ?? null,
    duration: probe.duration ?? null,
    fps: probe.fps ?? null,
    frames: probe.frames ?? null,
    bitrate: probe.bitrate ?? null,
    filesize: BigInt(stored.size),
    animated: probe.kind === "image" ? probe.animated : null,
    transparency: probe.kind === "image" ? probe.transparency : null,
    probe: probe as unknown as Prisma.InputJsonValue,
    storageKey: stored.key,
    etag: stored.etag,
    status: "ready",
  };
}

/** Default names (`file_x`) gain the real extension once the content is known. */
export async function publishFileRow(
  tx: Tx,
  fileId: string,
  facts: Prisma.FileUpdateManyMutationInput,
  naming: { defaultNamed: boolean; folder: string | null; filename: string },
): Promise<void> {
  const data: Prisma.FileUpdateManyMutationInput = { ...facts };
  if (naming.defaultNamed) {
    // folder + filename must name the delivery path: SDK users sign URLs and rename files from them.
    data.folder = naming.folder;
    data.filename = naming.filename;
    data.path = naming.folder ? `${naming.folder}/${naming.filename}` : naming.filename;
  }
  // No RETURNING: the caller has what it needs, and reading back the whole row (its probe JSON) costs time on the publish path.
  const { count } = await tx.file.updateMany({ where: { id: fileId }, data });
  if (count === 0) throw new Error(`file ${fileId} vanished before it could be published`);
}
