// A transform task's work: the stored input → ffmpeg/sharp in a scratch folder → outputs probed
// and published into the task's output file (one object, or a package such as HLS).
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import path from "node:path";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { Fence, Json, Tx } from "@/lib/engine/types";
import { scratchDir } from "@/lib/files/fetch-source";
import { extensionFor, fileFactsFromProbe, publishFileRow, stageFile, type Staged } from "@/lib/files/publish";
import type { TProbe } from "@/lib/media/probe";
import { transformMedia } from "@/lib/media/transform";
import { objectKey, packageEntryKey } from "@/lib/storage/object-key";
import { getStore } from "@/lib/storage/store";
import { copyObjectToFile } from "@/lib/storage/streams";

export type TransformRequest = { taskId: string; kind: string; options: Record<string, unknown>; inputFileId: string; outputFileId: string };
type Context = {
  signal: AbortSignal;
  fence: Fence;
  onProgress?: (fraction: number) => void;
  /** Records the plan on the task, in the publishing transaction (by default on its own; the caller may add writes). */
  recordPlan?: (tx: Tx, plan: Json) => Promise<void>;
};

const PLAYLIST_OR_TEXT = /^(application\/vnd\.apple\.mpegurl|application\/x-mpegurl|text\/)/i;

/** The input as a local path: the local store's own file, or a scratch copy of the S3 object. */
async function localInput(key: string, workDir: string): Promise<string> {
  const store = getStore();
  const local = store.localPath?.(key);
  if (local) return local;
  const target = path.join(workDir, `input${path.extname(key)}`);
  await copyObjectToFile(store, key, target);
  return target;
}

/** Runs the transform and publishes its output together with the plan it ran; a retry after publishing does nothing. */
export async function transformFile(request: TransformRequest, ctx: Context): Promise<void> {
  const prisma = await db();
  const [input, output] = await Promise.all([
    prisma.file.findUniqueOrThrow({ where: { id: request.inputFileId } }),
    prisma.file.findUniqueOrThrow({ where: { id: request.outputFileId } }),
  ]);
  if (output.status === "ready") return;
  if (input.status !== "ready" || !input.storageKey || !input.probe) throw new Error(`input file ${input.id} is not ready`);
  await mkdir(scratchDir(), { recursive: true });
  const workDir = await mkdtemp(path.join(scratchDir(), `${request.taskId}-`));
  const staged: Staged[] = [];
  try {
    const outDir = path.join(workDir, "out");
    await mkdir(outDir);
    const inputPath = await localInput(input.storageKey, workDir);
    const result = await transformMedia({
      kind: request.kind as Parameters<typeof transformMedia>[0]["kind"],
      inputPath,
      probe: input.probe as unknown as TProbe,
      options: request.options,
      outDir,
      signal: ctx.signal,
      onProgress: ctx.onProgress,
    });
    // A thumbnails track is its VTT; the sprite it points into is part of the package.
    const main = result.outputs.find((o) => o.role === "main") ?? result.outputs.find((o) => o.role === "vtt") ?? result.outputs[0];
    if (!main) throw new Error(`the ${request.kind} transform produced no output`);
    const isPackage = result.outputs.length > 1;
    const mainSize = (await stat(main.path)).size;
    // Validation probed every media entry point (transformMedia); playlists and VTT files have no probe.
    const isText = PLAYLIST_OR_TEXT.test(main.mime);
    if (!isText && !main.probe) throw new Error(`the ${request.kind} output ${path.basename(main.path)} was not validated`);
    const probe: TProbe | null = isText ? null : (main.probe ?? null);
    const defaultNamed = output.filename === output.id;
    const mainName = isPackage ? path.relative(outDir, main.path) : defaultNamed ? `${output.id}.${probe ? extensionFor(probe) : path.extname(main.path).slice(1)}` : output.filename;
    // A package lives in a folder of its own, so its relative segment URIs cannot collide with other files.
    const packageDir = isPackage ? [output.folder, output.id].filter(Boolean).join("/") : null;
    const mainKey = isPackage ? packageEntryKey({ projectId: output.projectId, fileId: output.id, path: mainName }) : objectKey({ projectId: output.projectId, fileId: output.id, name: mainName });

    for (const entry of result.outputs) {
      if (entry === main) continue;
      const relative = path.relative(outDir, entry.path);
      const key = packageEntryKey({ projectId: output.projectId, fileId: output.id, path: relative });
      staged.push(await stageFile(key, entry.path, entry.mime, (await stat(entry.path)).size));
    }
    const mainStaged = await stageFile(mainKey, main.path, main.mime, mainSize);
    staged.push(mainStaged);

    await ctx.fence.commit(async (tx) => {
      // Entries first, the main object last: the file is only complete when its entry point appears.
      let stored = { etag: "", size: mainSize };
      for (const item of staged) stored = await item.commit();
      const facts = probe
        ? fileFactsFromProbe(probe, { key: mainKey, size: stored.size, etag: stored.etag })
        : {
            kind: request.kind === "thumbnails" ? "thumbnails" : (input.kind ?? "video"),
            type: main.mime,
            container: path.extname(main.path).slice(1),
            width: input.width,
            height: input.height,
            duration: input.duration,
            filesize: BigInt(stored.size),
            storageKey: mainKey,
            etag: stored.etag,
            status: "ready" as const,
          };
      const filename = isPackage ? path.posix.basename(mainName) : mainName;
      await publishFileRow(tx, output.id, { ...facts, packageDir }, { defaultNamed: defaultNamed || isPackage, folder: packageDir ?? output.folder, filename: isPackage ? mainName : filename });
      // The exact commands, kept on the task for debugging.
      const plan = result.plan as unknown as Json;
      if (ctx.recordPlan) await ctx.recordPlan(tx, plan);
      else await tx.task.update({ where: { id: request.taskId }, data: { plan: plan as Prisma.InputJsonValue } });
    });
  } catch (error) {
    for (const item of staged) await item.abort().catch(() => undefined);
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
