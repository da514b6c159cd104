// Benchmark: a 4000×3000 JPEG → 1280-wide WebP as a Mediabit `image` task vs sharp called directly with the settings
// of the planner's pipeline (read back from task.plan).
// Run: npx tsx bench/image.ts   (target: mediabit / direct ≤ 1.10)
import { rmSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import type { TProbe } from "@/lib/media/probe-types";
import type { TSharpPipeline } from "@/lib/media/sharp";
import {
  photoJpeg,
  fmt,
  loadNow,
  machineNotes,
  measured,
  median,
  printTaskBenchReport,
  runMain,
  runTaskViaApi,
  startMediaBench,
  type TaskRun,
} from "./lib";

// A 0.2 s job varies by ±10 % from run to run on a shared machine: enough interleaved runs for a stable median.
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
// A fresh process spends the first tasks compiling: after 4 tasks V8 still ran ~56 TurboFan compilations (≈12 ms of
// background CPU per task) over the next 20, and main-thread CPU per task fell from ≈42 to ≈26–31 ms by task 10–25.
const WARMUP_TASKS = Number(process.env.BENCH_WARMUP ?? 20);
const TARGET_RATIO = 1.1;
const OPTIONS = { width: 1280, format: "webp" };

function sharpStepOf(plan: unknown): { pipeline: TSharpPipeline } {
  const steps = (plan as { steps?: { tool: string }[] } | null)?.steps ?? [];
  const step = steps[0] as { tool: string; pipeline?: TSharpPipeline } | undefined;
  if (steps.length !== 1 || step?.tool !== "sharp" || !step.pipeline) throw new Error(`expected a single sharp step, got ${JSON.stringify(steps.map((s) => s.tool))}`);
  return { pipeline: step.pipeline };
}

function colour(value: string) {
  if (value === "transparent") return { r: 0, g: 0, b: 0, alpha: 0 };
  const hex = value.replace(/^#/, "");
  return { r: parseInt(hex.slice(0, 2), 16), g: parseInt(hex.slice(2, 4), 16), b: parseInt(hex.slice(4, 6), 16), alpha: 1 };
}

/** The raw tool: sharp with exactly the pipeline's settings, nothing around it. */
async function runSharpDirect(pipeline: TSharpPipeline, input: string, output: string) {
  let image = sharp(input, { limitInputPixels: pipeline.limitInputPixels, failOn: "error", pages: 1 }).autoOrient();
  if (pipeline.resize) {
    const { width, height, fit, position, background, withoutEnlargement } = pipeline.resize;
    image = image.resize({ width, height, fit, position, background: colour(background), withoutEnlargement });
  }
  if (pipeline.flatten) image = image.flatten({ background: colour(pipeline.flatten.background) });
  const { format, quality, effort } = pipeline.output;
  return image.toFormat(format, { quality, effort }).toFile(output);
}

async function main(): Promise<void> {
  console.log("# bench/image — 4000×3000 JPEG → 1280-wide WebP: Mediabit image task vs sharp with the same settings");
  console.log(await machineNotes());
  const jpeg = await photoJpeg();
  const { env, prisma, transformMedia, project, input, inputPath, close } = await startMediaBench("image", jpeg);
  try {
    console.log(`input: ${jpeg} → ${input.id} (${input.type} ${input.width}x${input.height}, ${input.filesize} bytes)`);

    const body = { kind: "image", file_id: input.id, options: OPTIONS };
    // Warm-up: route modules, libvips start-up, the worker's first claim, then V8 optimising the request path and
    // PGlite's WebAssembly, so what is measured is a server that has been running; also yields the plan for the
    // direct runs.
    const first = await runTaskViaApi(project.key, body);
    const { pipeline } = sharpStepOf(first.plan);
    const warm: number[] = [];
    for (let i = 1; i < WARMUP_TASKS; i++) warm.push((await runTaskViaApi(project.key, body)).ms);
    console.log(`warm-up: ${WARMUP_TASKS} tasks (BENCH_WARMUP) · first ${fmt(first.ms, 0)} ms · the rest ${warm.length > 0 ? `median ${fmt(median(warm), 0)} ms, last ${fmt(warm.at(-1) ?? Number.NaN, 0)} ms` : "none"}`);
    await runSharpDirect(pipeline, inputPath, path.join(env.dataDir, "warm.webp"));
    // lib/media/sharp.ts sets these process-wide when it loads, so the direct runs use them too.
    console.log(`sharp: concurrency ${sharp.concurrency()}, cache ${JSON.stringify(sharp.cache())} · pipeline ${JSON.stringify({ resize: pipeline.resize, output: pipeline.output })}`);

    const taskRuns: (TaskRun & { cpuMs: number })[] = [];
    const direct: { ms: number; cpuMs: number }[] = [];
    const transform: { ms: number; cpuMs: number }[] = [];
    let directInfo = "";
    for (let run = 1; run <= RUNS; run++) {
      const measures: Record<string, () => Promise<void>> = {
        task: async () => {
          const { value, cpuMs } = await measured(() => runTaskViaApi(project.key, body));
          taskRuns.push({ ...value, cpuMs });
        },
        direct: async () => {
          const out = path.join(env.dataDir, `direct-${run}.webp`);
          const result = await measured(() => runSharpDirect(pipeline, inputPath, out));
          direct.push(result);
          directInfo = `${result.value.format} ${result.value.width}x${result.value.height} ${result.value.size} bytes`;
          rmSync(out);
        },
        transform: async () => {
          const outDir = path.join(env.dataDir, `transform-${run}`);
          const result = await measured(() => transformMedia({ kind: "image", inputPath, probe: input.probe as unknown as TProbe, options: OPTIONS, outDir }));
          transform.push(result);
          rmSync(outDir, { recursive: true, force: true });
        },
      };
      const order = ["task", "direct", "transform"];
      for (let i = 0; i < run - 1; i++) order.push(order.shift() as string);
      for (const name of order) await measures[name]?.();
      console.log(
        `run ${run} (${order.join(" → ")}): task ${fmt(taskRuns.at(-1)?.ms ?? Number.NaN, 0)} ms/${fmt(taskRuns.at(-1)?.cpuMs ?? Number.NaN, 0)} CPU ms · ` +
          `direct sharp ${fmt(direct.at(-1)?.ms ?? Number.NaN, 0)}/${fmt(direct.at(-1)?.cpuMs ?? Number.NaN, 0)} · ` +
          `transformMedia ${fmt(transform.at(-1)?.ms ?? Number.NaN, 0)}/${fmt(transform.at(-1)?.cpuMs ?? Number.NaN, 0)} · load ${loadNow()}`,
      );
    }

    const output = await prisma.file.findUniqueOrThrow({ where: { id: taskRuns.at(-1)?.outputFileId ?? "" } });
    if (output.width !== 1280 || output.type !== "image/webp") throw new Error(`unexpected output ${output.type} ${output.width}x${output.height}`);
    console.log(`outputs: mediabit: ${output.type} ${output.width}x${output.height} ${output.filesize} bytes · direct: ${directInfo}`);

    printTaskBenchReport({
      title: "4000×3000 JPEG → 1280-wide WebP",
      measure: "image task / direct sharp",
      target: TARGET_RATIO,
      direct: { label: "sharp called directly (same pipeline settings)", ms: direct.map((r) => r.ms), cpuMs: direct.map((r) => r.cpuMs) },
      transform: { label: "transformMedia() (plan, sharp, validate output)", ms: transform.map((r) => r.ms), cpuMs: transform.map((r) => r.cpuMs) },
      task: { label: "Mediabit image task: POST /api/tasks → task finished", runs: taskRuns },
    });
  } finally {
    await close();
  }
}

runMain(main);
