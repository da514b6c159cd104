// Shared context for planner tests: fixed paths and default limits, so argument lists can be asserted exactly.
import type { TMediaLimits } from "@/lib/media/limits";
import type { TProbe } from "@/lib/media/probe";
import type { TPlanContext, TPlanStep } from "@/lib/media/plan/types";

export const LIMITS: TMediaLimits = {
  maxDurationSeconds: 14_400,
  maxDimension: 16_384,
  maxPixels: 100_000_000,
  maxStreams: 16,
  maxFps: 240,
  maxFileBytes: 5 * 1024 ** 3,
};

export function context<T>(probe: TProbe, options: T): TPlanContext<T> {
  return { probe, options, inputPath: "/in/source", outDir: "/out", workDir: "/out/.work", limits: LIMITS };
}

export function ffmpegArgs(step: TPlanStep | undefined): string[] {
  if (step?.tool !== "ffmpeg") throw new Error(`expected an ffmpeg step, got ${step?.tool}`);
  return step.args;
}

/** The argument list's tail every mp4/mov output ends with. */
export const MP4_TAIL = ["-map_metadata", "-1", "-map_chapters", "-1", "-movflags", "+faststart", "-f", "mp4", "/out/video.mp4"];
export const AAC_128K = ["-c:a", "aac", "-b:a", "128k"];
export const X264_DEFAULT = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"];
