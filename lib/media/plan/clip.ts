// start/end/duration → a validated time range and the ffmpeg seek/length arguments for it.
import { AppError } from "@/lib/api/errors";

export type TClip = {
  start: number;
  /** Seconds of output. */
  duration: number;
  /** Seek before `-i`: ffmpeg jumps to the nearest keyframe, then decodes and drops frames up to `start` (accurate). */
  seekArgs: string[];
  /** `-t` when the range ends before the input does. */
  lengthArgs: string[];
};

/** Seconds as ffmpeg arguments: at most millisecond precision, no exponent notation. */
export function seconds(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/**
 * Resolves a requested range against the input length. `maxDuration` caps ranges the caller left open
 * (animations default to a short clip); an explicit range is kept as asked, up to the input's end.
 */
export function resolveClip(
  total: number | undefined,
  request: { start?: number; end?: number; duration?: number },
  options: { maxDuration?: number } = {},
): TClip {
  const start = request.start ?? 0;
  if (total !== undefined && start >= total) {
    throw new AppError("invalid_input", `start (${seconds(start)} s) is at or past the end of the input (${seconds(total)} s).`);
  }
  const explicitEnd = request.end ?? (request.duration !== undefined ? start + request.duration : undefined);
  let end = explicitEnd ?? total;
  if (explicitEnd === undefined && options.maxDuration !== undefined) {
    end = Math.min(end ?? Infinity, start + options.maxDuration);
  }
  if (total !== undefined && end !== undefined) end = Math.min(end, total);
  const duration = end === undefined ? Math.max(0, (total ?? 0) - start) : end - start;
  const endsEarly = end !== undefined && (total === undefined || end < total);
  return {
    start,
    duration,
    seekArgs: start > 0 ? ["-ss", seconds(start)] : [],
    lengthArgs: endsEarly ? ["-t", seconds(duration)] : [],
  };
}
