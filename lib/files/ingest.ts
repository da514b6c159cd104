// Ingest: source bytes → scratch file → refused unless media → probed → published into the
// project store and the file row, atomically, under the engine's fence.
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { Fence, Tx } from "@/lib/engine/types";
import { fetchToScratch } from "@/lib/files/fetch-source";
import { extensionFor, fileFactsFromProbe, publishFileRow, stageFile } from "@/lib/files/publish";
import { probeFile, readFirstBytes, type TProbe } from "@/lib/media/probe";
import { refuseNonMedia, sniffMedia } from "@/lib/media/sniff";
import { objectKey } from "@/lib/storage/object-key";
import type { TSource } from "@/lib/tasks/schemas";

export type IngestContext = {
  signal: AbortSignal;
  fence: Fence;
  onProgress?: (fraction: number) => void;
  /** More writes for the transaction that publishes the file (a task's completion). */
  onPublish?: (tx: Tx) => Promise<void>;
};

export async function ingestIntoFile(fileId: string, source: TSource, ctx: IngestContext): Promise<{ fileId: string; size: number }> {
  const prisma = await db();
  const file = await prisma.file.findUniqueOrThrow({ where: { id: fileId } });
  if (file.status === "ready") return { fileId, size: Number(file.filesize) };
  const scratch = await fetchToScratch(file.projectId, source, { signal: ctx.signal, onProgress: ctx.onProgress, name: fileId });
  try {
    if (scratch.size === 0) throw new AppError("invalid_input", "The source is empty (0 bytes); nothing was stored.");
    const head = await readFirstBytes(scratch.path);
    refuseNonMedia(head);
    const probe: TProbe = await probeFile(scratch.path, { hint: sniffMedia(head), signal: ctx.signal });
    const defaultNamed = file.filename === file.id;
    const filename = defaultNamed ? `${file.id}.${extensionFor(probe)}` : file.filename;
    const key = objectKey({ projectId: file.projectId, fileId, name: filename });
    const staged = await stageFile(key, scratch.path, probe.mime, scratch.size);
    try {
      await ctx.fence.commit(async (tx) => {
        const stored = await staged.commit();
        await publishFileRow(tx, fileId, fileFactsFromProbe(probe, { key, size: stored.size, etag: stored.etag }), { defaultNamed, folder: file.folder, filename });
        if (file.original) {
          await tx.media.update({ where: { id: file.mediaId }, data: { kind: probe.kind } });
        }
        await ctx.onPublish?.(tx);
      });
    } catch (error) {
      await staged.abort();
      throw error;
    }
    return { fileId, size: scratch.size };
  } finally {
    await scratch.remove();
  }
}
