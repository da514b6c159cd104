// Small helpers every ffmpeg planner shares.
import path from "node:path";
import { AppError } from "@/lib/api/errors";
import type { TMediaLimits } from "../limits";
import type { TProbe } from "../probe-types";
import { planGeometry, geometrySource, type TGeometry } from "./geometry";
import type { TDimension, TFit, TPosition } from "./options";

/** Inputs must carry a decodable video stream for this kind; audio files and stills are refused clearly. */
export function requireVideo(probe: TProbe, kind: string): void {
  if (!probe.has_video || !probe.width || !probe.height) {
    throw new AppError("invalid_input", `A ${kind} task needs a video input; this input is ${probe.kind} (${probe.container}).`);
  }
}

export function outputPath(outDir: string, name: string): string {
  return path.join(outDir, name);
}

/** `fps=N` when the caller asked for fewer frames per second than the input has (never duplicates frames). */
export function fpsFilter(requested: number | undefined, inputFps: number | undefined): string[] {
  if (requested === undefined) return [];
  if (inputFps !== undefined && requested >= inputFps) return [];
  return [`fps=${requested}`];
}

export function videoGeometry(
  probe: TProbe,
  options: { width?: TDimension; height?: TDimension; fit?: TFit; position?: TPosition; background?: string; upscale?: boolean },
  defaults: { fit: TFit; even: boolean; limits: TMediaLimits },
): TGeometry {
  const geometry = planGeometry(
    geometrySource(probe),
    {
      width: options.width,
      height: options.height,
      fit: options.fit ?? defaults.fit,
      position: options.position ?? "center",
      background: options.background ?? "#000000",
      upscale: options.upscale === true,
    },
    { even: defaults.even },
  );
  assertOutputSize(geometry, defaults.limits);
  return geometry;
}

/** Output frames obey the same size limits as inputs: a tiny input must not become a 16k×16k encode. */
export function assertOutputSize(size: { width: number; height: number }, limits: TMediaLimits): void {
  const { width, height } = size;
  if (width > limits.maxDimension || height > limits.maxDimension || width * height > limits.maxPixels) {
    throw new AppError(
      "invalid_input",
      `The requested output size ${width}×${height} is over this server's limits (${limits.maxDimension} px a side, ${limits.maxPixels} pixels).`,
    );
  }
}

/** Strips tags, chapters and other metadata from outputs: they can carry GPS positions and device names. */
export const STRIP_METADATA = ["-map_metadata", "-1", "-map_chapters", "-1"];
