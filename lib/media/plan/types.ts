// The shape every planner returns: explicit tool steps plus the outputs they write.
import type { TMediaLimits } from "../limits";
import type { TProbe } from "../probe-types";
import type { TSharpPipeline } from "../sharp";

export type TOutputRole = "main" | "playlist" | "segment" | "sprite" | "vtt" | "frame";

export type TPlannedOutput = { path: string; role: TOutputRole; mime: string };

/** Outputs whose number is known only after the run (HLS segments, frame series): files in `dir` named prefix…suffix. */
export type TCollectedOutputs = { dir: string; prefix: string; suffix: string; role: TOutputRole; mime: string };

/** One file through a sharp pipeline; `extract` (a region, before any resize) varies per item, e.g. sprite tiles. */
export type TSharpItem = { input: string; output: string; extract?: { left: number; top: number; width: number; height: number } };

export type TPlanStep =
  | { tool: "ffmpeg"; args: string[]; durationSeconds?: number }
  /** One pipeline applied to each item; items whose input an earlier step did not produce are skipped. */
  | { tool: "sharp"; pipeline: TSharpPipeline; items: TSharpItem[] }
  | { tool: "heif-convert"; input: string; output: string }
  | { tool: "write"; path: string; content: string };

export type TPlan = {
  steps: TPlanStep[];
  outputs: TPlannedOutput[];
  collect: TCollectedOutputs[];
  /** ffmpeg encoders the steps need; checked against the installed ffmpeg before running. */
  encoders: string[];
};

export type TPlanContext<TOptions> = {
  probe: TProbe;
  options: TOptions;
  inputPath: string;
  /** Where outputs go. */
  outDir: string;
  /** Scratch space for intermediates (frames, converted HEIC); removed after the run. */
  workDir: string;
  limits: TMediaLimits;
};
