// Benchmark: a 30 s 1080p H.264 clip → 720p H.264 (-preset veryfast) as a Mediabit `video` task vs the same ffmpeg
// command run directly (the exact arguments the planner stored in task.plan, output redirected to a temp file).
// Run: npx tsx bench/transcode.ts   (target: mediabit / direct ≤ 1.03)
import { rmSync } from "node:fs";
import path from "node:path";
import type { TProbe } from "@/lib/media/probe-types";
import {
  cachedInput,
  ffmpeg,
  fmt,
  loadNow,
  machineNotes,
  printTaskBenchReport,
  runMain,
  runTaskViaApi,
  runTool,
  startMediaBench,
  measured,
  type TaskRun,
} from "./lib";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_RATIO = 1.03;
const OPTIONS = { width: 1280 };

async function makeClip(output: string): Promise<void> {
  await ffmpeg(
    "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30",
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-t", "30",
    "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
    "-c:a", "aac", "-b:a", "128k", "-ac", "2",
    "-movflags", "+faststart", "-f", "mp4", output,
  );
}

type FfmpegStep = { tool: "ffmpeg"; args: string[] };

function ffmpegArgsOf(plan: unknown): string[] {
  const steps = (plan as { steps?: { tool: string }[] } | null)?.steps ?? [];
  const ffmpegSteps = steps.filter((step): step is FfmpegStep => step.tool === "ffmpeg");
  if (steps.length !== 1 || !ffmpegSteps[0]) throw new Error(`expected a single ffmpeg step in the plan, got ${JSON.stringify(steps.map((s) => s.tool))}`);
  return ffmpegSteps[0].args;
}

async function probeSize(file: string): Promise<string> {
  const { runFfprobe } = await import("@/lib/media/ffmpeg");
  const probe = await runFfprobe(file);
  const video = probe.streams.find((s) => s.codec_type === "video");
  return `${video?.codec_name} ${video?.width}x${video?.height}`;
}

async function main(): Promise<void> {
  console.log("# bench/transcode — 30 s 1080p H.264 → 720p H.264 veryfast: Mediabit video task vs the same ffmpeg command");
  console.log(await machineNotes());
  const clip = await cachedInput("clip-1080p-30s.mp4", makeClip);
  const { env, prisma, transformMedia, project, input, inputPath, close } = await startMediaBench("transcode", clip);
  try {
    console.log(`input: ${clip} → ${input.id} (${input.codec} ${input.width}x${input.height}, ${input.duration} s)`);

    // Warm-up: route modules, the encoder list, the worker's first claim.
    for (let i = 0; i < 3; i++) await runTaskViaApi(project.key, { kind: "video", file_id: input.id, options: { ...OPTIONS, frames: 15 } });

    const body = { kind: "video", file_id: input.id, options: OPTIONS };
    const taskRuns: (TaskRun & { cpuMs: number })[] = [];
    const directRuns: number[] = [];
    const directCpu: number[] = [];
    const transformRuns: number[] = [];
    const transformCpu: number[] = [];
    let args: string[] = [];
    let outputs = "";
    for (let run = 1; run <= RUNS; run++) {
      // Rotate the order each run, so drift in machine load does not favour one side.
      const measures: Record<string, () => Promise<void>> = {
        task: async () => {
          const { value: result, cpuMs } = await measured(() => runTaskViaApi(project.key, body));
          taskRuns.push({ ...result, cpuMs });
          args = ffmpegArgsOf(result.plan);
        },
        direct: async () => {
          if (args.length === 0) args = ffmpegArgsOf((await runTaskViaApi(project.key, body)).plan);
          const out = path.join(env.dataDir, `direct-${run}.mp4`);
          const direct = await measured(() => runTool("ffmpeg", ["-hide_banner", "-nostdin", "-y", "-loglevel", "warning", ...args.slice(0, -1), out]));
          directRuns.push(direct.ms);
          directCpu.push(direct.cpuMs);
          if (run === 1) outputs = `direct: ${await probeSize(out)}`;
          rmSync(out);
        },
        transform: async () => {
          const outDir = path.join(env.dataDir, `transform-${run}`);
          const { ms, cpuMs } = await measured(() =>
            transformMedia({ kind: "video", inputPath, probe: input.probe as unknown as TProbe, options: OPTIONS, outDir }),
          );
          transformRuns.push(ms);
          transformCpu.push(cpuMs);
          rmSync(outDir, { recursive: true, force: true });
        },
      };
      const order = ["task", "direct", "transform"];
      for (let i = 0; i < run - 1; i++) order.push(order.shift() as string);
      for (const name of order) await measures[name]?.();
      const last = taskRuns.at(-1);
      console.log(
        `run ${run} (${order.join(" → ")}): task ${fmt(last?.ms ?? Number.NaN, 0)} ms/${fmt(last?.cpuMs ?? Number.NaN, 0)} CPU ms · ` +
          `direct ffmpeg ${fmt(directRuns.at(-1) ?? Number.NaN, 0)}/${fmt(directCpu.at(-1) ?? Number.NaN, 0)} · ` +
          `transformMedia ${fmt(transformRuns.at(-1) ?? Number.NaN, 0)}/${fmt(transformCpu.at(-1) ?? Number.NaN, 0)} · load ${loadNow()}`,
      );
    }

    const output = await prisma.file.findUniqueOrThrow({ where: { id: taskRuns.at(-1)?.outputFileId ?? "" } });
    if (output.width !== 1280 || output.height !== 720 || output.codec !== "h264") throw new Error(`unexpected output ${output.codec} ${output.width}x${output.height}`);
    console.log(`outputs: mediabit: ${output.codec} ${output.width}x${output.height} ${output.filesize} bytes · ${outputs}`);
    console.log(`planner's ffmpeg args: ${args.map((a) => (a.includes("/") ? `…/${path.basename(a)}` : a)).join(" ")}`);

    printTaskBenchReport({
      title: "30 s 1080p → 720p H.264 veryfast",
      measure: "video task / direct ffmpeg",
      target: TARGET_RATIO,
      direct: { label: "ffmpeg run directly with the plan's args", ms: directRuns, cpuMs: directCpu },
      transform: { label: "transformMedia() (plan, ffmpeg with guards + progress, validate output)", ms: transformRuns, cpuMs: transformCpu },
      task: { label: "Mediabit video task: POST /api/tasks → task finished", runs: taskRuns },
    });
  } finally {
    await close();
  }
}

runMain(main);
