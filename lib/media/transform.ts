// transformMedia: plan a kind's work, run it (ffmpeg, sharp, heif-convert), and check what it wrote.
import { mkdirSync, statSync } from "node:fs";
import { open, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/api/errors";
import { randomToken } from "@/lib/ids";
import type { TTransformKind } from "@/lib/tasks/kinds";
import { listFfmpegEncoders, runFfmpeg } from "./ffmpeg";
import { convertHeicToJpeg, readHeifInfo } from "./heif";
import { planMedia } from "./kinds";
import { mediaLimits, type TMediaLimits } from "./limits";
import type { TPlan, TPlanStep, TOutputRole } from "./plan/types";
import { imageError } from "./probe";
import type { TProbe } from "./probe-types";
import { abortReason } from "./run-process";
import { runSharpPipeline } from "./sharp";
import { validateOutputs } from "./validate-output";

export type TTransformInput = {
  kind: TTransformKind;
  inputPath: string;
  probe: TProbe;
  /** Raw task options; validated against the kind's schema here. */
  options: unknown;
  /** Absolute folder for the outputs; created if missing. Nothing is written outside it. */
  outDir: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  limits?: TMediaLimits;
  /** Flush the outputs to disk while they are validated: for a caller that publishes them by renaming them. */
  flushOutputs?: boolean;
};

/** `probe` is set on the outputs validation probed in full (always the main one, unless it is a playlist or VTT). */
export type TTransformOutput = { path: string; role: TOutputRole; mime: string; size: number; probe?: TProbe };
/** `stepMs[i]` is how long `plan.steps[i]` ran (wall clock), so a task can tell its tools' time from its own. */
export type TTransformResult = { outputs: TTransformOutput[]; plan: TPlan; stepMs: number[] };

// How much of the progress bar each step takes: encoding dominates, image steps are quick.
const STEP_WEIGHT: Record<TPlanStep["tool"], number> = { ffmpeg: 8, sharp: 1, "heif-convert": 1, write: 0 };

export async function transformMedia(input: TTransformInput): Promise<TTransformResult> {
  const { kind, inputPath, probe, options, signal, onProgress } = input;
  if (!path.isAbsolute(input.outDir) || !path.isAbsolute(inputPath)) throw new Error("transformMedia needs absolute paths");
  const outDir = path.resolve(input.outDir);
  if (signal?.aborted) throw abortReason(signal);
  // Synchronous on purpose: one small folder, where an async call's completion can wait behind a burst of database work
  // on this thread (embedded PGlite runs here) before the encoder gets going.
  mkdirSync(outDir, { recursive: true });
  // Intermediate files (HEIC primaries, video frames) live in a folder beside the outputs, made (synchronously, like the
  // output folder) when a step that writes them comes up: a sharp-only plan needs none.
  const workDir = path.join(outDir, `.work-${randomToken(8)}`);
  let madeWorkDir = false;
  let removingWorkDir: Promise<void> | undefined;
  const removeWorkDir = () => (removingWorkDir ??= madeWorkDir ? rm(workDir, { recursive: true, force: true }) : Promise.resolve());
  try {
    const plan = planMedia(kind, { probe, options, inputPath, outDir, workDir, limits: input.limits ?? mediaLimits() });
    assertWritesInside(plan, outDir);
    await assertEncodersAvailable(plan.encoders);

    const totalWeight = plan.steps.reduce((sum, step) => sum + STEP_WEIGHT[step.tool], 0) || 1;
    let doneWeight = 0;
    const stepMs: number[] = [];
    for (const step of plan.steps) {
      const weight = STEP_WEIGHT[step.tool];
      const report = (fraction: number) => onProgress?.(Math.min(0.99, (doneWeight + weight * fraction) / totalWeight));
      if ((step.tool === "ffmpeg" || step.tool === "heif-convert") && !madeWorkDir) {
        mkdirSync(workDir);
        madeWorkDir = true;
      }
      const started = performance.now();
      await runStep(step, { signal, report });
      stepMs.push(Math.round(performance.now() - started));
      doneWeight += weight;
      report(0);
    }

    const outputs = await listOutputs(plan);
    await Promise.all([validateOutputs(outputs, { outDir, signal }), input.flushOutputs ? flushFiles(outputs) : undefined, removeWorkDir()]);
    onProgress?.(1);
    return { outputs, plan, stepMs };
  } finally {
    await removeWorkDir();
  }
}

// A few at a time: a package can hold thousands of segments, and each flush holds a file open.
const FLUSH_CONCURRENCY = 8;

async function flushFiles(outputs: readonly TTransformOutput[]): Promise<void> {
  const pending = outputs.map((output) => output.path);
  const flushNext = async (): Promise<void> => {
    for (let file = pending.shift(); file !== undefined; file = pending.shift()) {
      const handle = await open(file, "r");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FLUSH_CONCURRENCY, pending.length) }, flushNext));
}

async function runStep(step: TPlanStep, context: { signal?: AbortSignal; report: (fraction: number) => void }): Promise<void> {
  const { signal, report } = context;
  switch (step.tool) {
    case "ffmpeg":
      await runFfmpeg(step.args, { signal, durationSeconds: step.durationSeconds, onProgress: report });
      return;
    case "heif-convert": {
      const info = await readHeifInfo(step.input, { signal });
      await convertHeicToJpeg(step.input, step.output, { signal, primaryIndex: info?.primaryIndex, imageCount: info?.images.length });
      return;
    }
    case "write":
      await writeFile(step.path, step.content);
      return;
    case "sharp": {
      let written = 0;
      for (const [index, item] of step.items.entries()) {
        if (signal?.aborted) throw abortReason(signal);
        // A frame series may end a frame early (the last interval past the final frame); only a missing first is fatal.
        if (!isFile(item.input)) {
          if (written === 0) throw new AppError("unprocessable", "No frame could be decoded at the requested time.");
          continue;
        }
        const pipeline = item.extract ? { ...step.pipeline, extract: item.extract } : step.pipeline;
        await runSharpPipeline(pipeline, item.input, item.output).catch((error: unknown) => {
          throw imageError(error);
        });
        written++;
        report((index + 1) / step.items.length);
      }
      return;
    }
  }
}

/**
 * Synchronous on purpose, like the output folder's mkdir: an async stat's completion can wait behind a burst of
 * database work on this thread (embedded PGlite runs here), and sharp would start only after it.
 */
function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, path.resolve(dir, file));
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/** A planner bug must not write outside the job's folder: every output, segment pattern and item is checked. */
function assertWritesInside(plan: TPlan, outDir: string): void {
  const targets: string[] = plan.outputs.map((output) => output.path);
  for (const step of plan.steps) {
    if (step.tool === "ffmpeg") {
      targets.push(step.args.at(-1) ?? "");
      const segments = step.args.indexOf("-hls_segment_filename");
      if (segments >= 0) targets.push(step.args[segments + 1] ?? "");
    }
    if (step.tool === "sharp") targets.push(...step.items.map((item) => item.output));
    if (step.tool === "heif-convert") targets.push(step.output);
    if (step.tool === "write") targets.push(step.path);
  }
  const outside = targets.find((target) => !isInside(outDir, target));
  if (outside !== undefined) throw new Error(`plan writes outside its output folder: ${outside}`);
}

/** Throws `format_unsupported` naming the encoders this machine's ffmpeg lacks. */
export async function assertEncodersAvailable(needed: readonly string[]): Promise<void> {
  if (needed.length === 0) return;
  const available = await listFfmpegEncoders();
  const missing = needed.filter((name) => !available.has(name));
  if (missing.length > 0) {
    throw new AppError("format_unsupported", `This server's ffmpeg has no ${missing.join(", ")} encoder, which this output needs.`);
  }
}

async function listOutputs(plan: TPlan): Promise<TTransformOutput[]> {
  const outputs: TTransformOutput[] = [];
  for (const output of plan.outputs) {
    const info = await stat(output.path).catch(() => undefined);
    if (!info?.isFile()) throw new AppError("unprocessable", `Processing wrote no ${path.basename(output.path)}.`);
    outputs.push({ ...output, size: info.size });
  }
  for (const pattern of plan.collect) {
    const names = (await readdir(pattern.dir)).filter((name) => name.startsWith(pattern.prefix) && name.endsWith(pattern.suffix)).sort();
    for (const name of names) {
      const file = path.join(pattern.dir, name);
      const info = await stat(file);
      if (info.isFile()) outputs.push({ path: file, role: pattern.role, mime: pattern.mime, size: info.size });
    }
  }
  return outputs;
}
