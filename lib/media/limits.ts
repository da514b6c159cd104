// Sanity limits on declared media facts, checked before any decoding work is spent on a file.
import { AppError } from "@/lib/api/errors";
import { env } from "@/lib/env";
import type { TProbe } from "./probe-types";

export type TMediaLimits = {
  maxDurationSeconds: number;
  maxDimension: number;
  maxPixels: number;
  maxStreams: number;
  maxFps: number;
  maxFileBytes: number;
};

/** Frames sharp may read from an animated image, and ffmpeg may write to an animation. */
export const MAX_ANIMATION_FRAMES = 1000;

export function mediaLimits(): TMediaLimits {
  const settings = env();
  return {
    maxDurationSeconds: settings.MEDIABIT_MAX_DURATION_SECONDS,
    maxDimension: settings.MEDIABIT_MAX_DIMENSION,
    maxPixels: settings.MEDIABIT_MAX_PIXELS,
    maxStreams: settings.MEDIABIT_MAX_STREAMS,
    maxFps: settings.MEDIABIT_MAX_FPS,
    maxFileBytes: settings.MEDIABIT_MAX_FILE_BYTES,
  };
}

function refuse(message: string): never {
  throw new AppError("unprocessable", message);
}

/** Throws `unprocessable` when a probed file is beyond what this server accepts; the message names the limit. */
export function assertProbeWithinLimits(probe: TProbe, limits: TMediaLimits = mediaLimits()): void {
  if (probe.filesize > limits.maxFileBytes) {
    refuse(`The file is ${probe.filesize} bytes; this server accepts at most ${limits.maxFileBytes} bytes.`);
  }
  if (probe.streams > limits.maxStreams) {
    refuse(`The file has ${probe.streams} streams; this server accepts at most ${limits.maxStreams}.`);
  }
  if (probe.duration !== undefined && probe.duration > limits.maxDurationSeconds) {
    refuse(`The media is ${Math.round(probe.duration)} s long; this server accepts at most ${limits.maxDurationSeconds} s.`);
  }
  const { width, height } = probe;
  if (width !== undefined && height !== undefined) {
    if (width > limits.maxDimension || height > limits.maxDimension) {
      refuse(`The media is ${width}×${height} px; this server accepts at most ${limits.maxDimension} px on a side.`);
    }
    if (width * height > limits.maxPixels) {
      refuse(`The media is ${width}×${height} px (${width * height} pixels); this server accepts at most ${limits.maxPixels} pixels.`);
    }
  }
  if (probe.fps !== undefined && probe.fps > limits.maxFps) {
    refuse(`The video runs at ${probe.fps} fps; this server accepts at most ${limits.maxFps} fps.`);
  }
}
