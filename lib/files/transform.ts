// A transform task's work: the stored input → ffmpeg/sharp in a scratch folder → outputs probed
// and published into the task's output file (one object, or a package such as HLS).
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { db } from "@/lib/db/client";
import type { File, Prisma } from "@/lib/db/generated/client";
import { takeHeadStart } from "@/lib/engine/engine";
import type { HeadStart, HeadStartRun } from "@/lib/engine/head-starts";
import type { Fence, Json, Tx } from "@/lib/engine/types";
import { randomToken } from "@/lib/ids";
import { scratchDir } from "@/lib/files/scratch";
import { extensionFor, fileFactsFromProbe, publishFileRow, stageFile, type Staged } from "@/lib/files/publish";
import type { TProbe } from "@/lib/media/probe";
import { transformMedia, type TTransformResult } from "@/lib/media/transform";
import { objectKey, packageEntryKey } from "@/lib/storage/object-key";
import { getStore } from "@/lib/storage/store";
import { taskExecutionKey } from "@/lib/tasks/execution-key";
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

/** The input as a local path: the local store's own file, or a scratch copy of the S3 object at `copyPath`. */
async function localInput(key: string, copyPath: string): Promise<string> {
  const store = getStore();
  const local = store.localPath?.(key);
  if (local) return local;
  await mkdir(path.dirname(copyPath), { recursive: true });
  await copyObjectToFile(store, key, copyPath);
  return copyPath;
}

type TransformWork = Pick<TransformRequest, "taskId" | "kind" | "options">;
type ReadyInput = Pick<File, "id" | "projectId" | "storageKey" | "probe">;

/** A transform running in its own scratch folder; nothing it writes is published by it. */
type TransformRun = {
  done: Promise<{ outDir: string; result: TTransformResult }>;
  abort(reason: unknown): void;
  /** Set by whoever waits for it (a head start has no listener until its execution takes it over). */
  onProgress?: (fraction: number) => void;
  /** Stops it if it still runs and removes its scratch folder. */
  dispose(): Promise<void>;
};

function startTransformRun(work: TransformWork, input: ReadyInput): TransformRun {
  const controller = new AbortController();
  // The outputs go to a folder of the task's own (transformMedia makes it); an S3 input is copied beside it.
  const outDir = path.join(scratchDir(), `${work.taskId}-${randomToken(8)}`);
  const inputCopy = `${outDir}-input${path.extname(input.storageKey ?? "")}`;
  const store = getStore();
  const run: TransformRun = {
    done: (async () => {
      const inputPath = await localInput(input.storageKey ?? "", inputCopy);
      const result = await transformMedia({
        kind: work.kind as Parameters<typeof transformMedia>[0]["kind"],
        inputPath,
        probe: input.probe as unknown as TProbe,
        options: work.options,
        outDir,
        signal: controller.signal,
        onProgress: (fraction) => run.onProgress?.(fraction),
        flushOutputs: store.stageLocalFile !== undefined,
      });
      return { outDir, result };
    })(),
    abort: (reason) => controller.abort(reason),
    async dispose() {
      controller.abort(new Error("transform discarded"));
      await run.done.catch(() => undefined);
      await Promise.all([rm(outDir, { recursive: true, force: true }), rm(inputCopy, { force: true })]);
    },
  };
  // Awaited by the caller or by dispose; until then a failure must not count as unhandled.
  run.done.catch(() => undefined);
  return run;
}

/** The rows a transform reads and publishes into; a head start is handed them by the request that wrote them. */
type TransformFiles = { input: File; output: File };
/** A transform begun while POST /api/tasks still writes the task's rows (see `transformHeadStart`). */
type TransformHeadStart = HeadStartRun & { run: TransformRun; files: TransformFiles };

/**
 * The task's transform as a head start for `enqueue`: the worker begins it only if it will run the task at once, and
 * the task's execution takes it over (`takeTransformHeadStart`) with the rows its request wrote, instead of reading
 * them again. The head start itself only writes into its scratch folder; the execution publishes under its lease.
 */
export function transformHeadStart(work: TransformWork, files: TransformFiles): HeadStart | undefined {
  if (!files.input.storageKey || !files.input.probe || files.input.status !== "ready") return undefined;
  return {
    begin: (): TransformHeadStart => {
      const run = startTransformRun(work, files.input);
      return { run, files, dispose: () => run.dispose() };
    },
  };
}

/** The task's head start, if this process's worker kept one for exactly this input and output (else it is dropped). */
export function takeTransformHeadStart(request: TransformRequest): TransformHeadStart | undefined {
  const fits = (taken: HeadStartRun) => {
    const { files } = taken as TransformHeadStart;
    return files.input.id === request.inputFileId && files.output.id === request.outputFileId;
  };
  return takeHeadStart(taskExecutionKey(request.taskId), fits) as TransformHeadStart | undefined;
}

/** The input and output rows, read afresh: a retry may find the output published, or the input gone. */
async function readTransformFiles(request: TransformRequest): Promise<TransformFiles | null> {
  const prisma = await db();
  const [input, output] = await Promise.all([
    prisma.file.findUniqueOrThrow({ where: { id: request.inputFileId } }),
    prisma.file.findUniqueOrThrow({ where: { id: request.outputFileId } }),
  ]);
  if (output.status === "ready") return null;
  if (input.status !== "ready" || !input.storageKey || !input.probe) throw new Error(`input file ${input.id} is not ready`);
  return { input, output };
}

/** Runs the transform (or takes over its head start) and publishes its output together with the plan it ran; a retry after publishing does nothing. */
export async function transformFile(request: TransformRequest, ctx: Context): Promise<void> {
  const headStart = takeTransformHeadStart(request);
  const files = headStart?.files ?? (await readTransformFiles(request));
  // Published by an earlier attempt: nothing left to do.
  if (!files) return;
  const { input, output } = files;
  const run = headStart?.run ?? startTransformRun(request, input);
  run.onProgress = ctx.onProgress;
  const stop = () => run.abort(ctx.signal.reason);
  if (ctx.signal.aborted) stop();
  ctx.signal.addEventListener("abort", stop, { once: true });
  const staged: Staged[] = [];
  try {
    const { outDir, result } = await run.done;
    // A thumbnails track is its VTT; the sprite it points into is part of the package.
    const main = result.outputs.find((o) => o.role === "main") ?? result.outputs.find((o) => o.role === "vtt") ?? result.outputs[0];
    if (!main) throw new Error(`the ${request.kind} transform produced no output`);
    const isPackage = result.outputs.length > 1;
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
      staged.push(await stageFile(key, entry.path, entry.mime, entry.size));
    }
    const mainStaged = await stageFile(mainKey, main.path, main.mime, main.size);
    staged.push(mainStaged);

    await ctx.fence.commit(async (tx) => {
      // Entries first, the main object last: the file is only complete when its entry point appears.
      let stored = { etag: "", size: main.size };
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
      // The exact commands, kept on the task for debugging, each with how long it ran.
      const steps = result.plan.steps.map((step, index) => ({ ...step, ms: result.stepMs[index] }));
      const plan = { ...result.plan, steps } as unknown as Json;
      if (ctx.recordPlan) await ctx.recordPlan(tx, plan);
      else await tx.task.update({ where: { id: request.taskId }, data: { plan: plan as Prisma.InputJsonValue } });
    });
  } catch (error) {
    for (const item of staged) await item.abort().catch(() => undefined);
    throw error;
  } finally {
    ctx.signal.removeEventListener("abort", stop);
    await run.dispose();
  }
}
