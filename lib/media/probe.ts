// probeFile: what a downloaded file is, from headers only, refusing non-media and absurd inputs before any decoding.
import { open, stat } from "node:fs/promises";
import { AppError } from "@/lib/api/errors";
import { FfmpegError, runFfprobe, type TFfprobeOutput } from "./ffmpeg";
import { readHeifInfo } from "./heif";
import { assertProbeWithinLimits, mediaLimits, type TMediaLimits } from "./limits";
import { IMAGE_MIME } from "./mime";
import { probeFromFfprobe } from "./probe-ffprobe";
import { orientationOf, type TProbe } from "./probe-types";
import { readImageMetadata } from "./sharp";
import { refuseNonMedia, SNIFF_BYTES, sniffMedia, type TSniff } from "./sniff";

export { assertProbeWithinLimits } from "./limits";
export { convertHeicToJpeg } from "./heif";
export type { TMediaKind, TOrientation, TProbe } from "./probe-types";

export type TProbeOptions = {
  /** Container suggested by the URL or Content-Type, used only when the bytes leave it open (MP4 vs QuickTime). */
  hint?: { container?: string };
  signal?: AbortSignal;
  limits?: TMediaLimits;
};

/** Reads the first bytes of a file for sniffing. */
export async function readFirstBytes(inputPath: string, length = SNIFF_BYTES): Promise<Buffer> {
  const handle = await open(inputPath, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Probes a local file: sniff and refuse non-media, then sharp (images), heif-info (HEIC) or ffprobe (audio/video),
 * then the sanity limits. Throws `invalid_input` for unreadable files and `unprocessable` for files over a limit.
 */
export async function probeFile(inputPath: string, options: TProbeOptions = {}): Promise<TProbe> {
  const limits = options.limits ?? mediaLimits();
  const info = await stat(inputPath);
  if (!info.isFile()) throw new Error(`probeFile expects a regular file: ${inputPath}`);
  if (info.size > limits.maxFileBytes) {
    throw new AppError("unprocessable", `The file is ${info.size} bytes; this server accepts at most ${limits.maxFileBytes} bytes.`);
  }
  const firstBytes = await readFirstBytes(inputPath);
  refuseNonMedia(firstBytes);
  const sniffed = sniffMedia(firstBytes);
  const probe =
    sniffed.family === "image"
      ? await probeImage(inputPath, sniffed, info.size, options.signal)
      : await probeAudioVideo(inputPath, sniffed, info.size, options);
  assertProbeWithinLimits(probe, limits);
  return probe;
}

async function probeAudioVideo(inputPath: string, sniffed: TSniff, filesize: number, options: TProbeOptions): Promise<TProbe> {
  let output: TFfprobeOutput;
  try {
    output = await runFfprobe(inputPath, { signal: options.signal });
  } catch (error) {
    if (!(error instanceof FfmpegError)) throw error;
    if (error.reason === "timeout") throw new AppError("unprocessable", "The file took too long to inspect; it may be malformed.");
    if (error.reason !== "exit") throw error;
    const detail = error.stderrTail.split("\n").at(-1)?.split(inputPath).join("input") ?? "";
    throw new AppError("invalid_input", `The file is truncated or corrupt, or not a supported media format (${detail}).`);
  }
  return probeFromFfprobe(output, { filesize, sniffedContainer: sniffed.container ?? options.hint?.container });
}

function imageProbe(facts: {
  container: string;
  filesize: number;
  width: number;
  height: number;
  rotation: number;
  pages: number;
  hasAlpha: boolean;
  durationMs?: number;
}): TProbe {
  const mime = IMAGE_MIME[facts.container] ?? "application/octet-stream";
  const animated = facts.pages > 1;
  const duration = animated && facts.durationMs ? facts.durationMs / 1000 : undefined;
  return {
    kind: "image",
    mime,
    type: mime,
    container: facts.container,
    format: facts.container,
    filesize: facts.filesize,
    width: facts.width,
    height: facts.height,
    rotation: facts.rotation,
    orientation: orientationOf(facts.width, facts.height),
    duration,
    fps: duration ? Math.round((facts.pages / duration) * 1000) / 1000 : undefined,
    frames: facts.pages,
    has_video: false,
    has_audio: false,
    animated,
    transparency: facts.hasAlpha,
    streams: 1,
    codecs: {},
  };
}

// EXIF orientation → clockwise degrees (the mirrored variants turn the same way).
const EXIF_ROTATION: Record<number, number> = { 1: 0, 2: 0, 3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270 };

async function probeImage(
  inputPath: string,
  sniffed: TSniff,
  filesize: number,
  signal: AbortSignal | undefined,
): Promise<TProbe> {
  if (sniffed.container === "heic" || sniffed.container === "heif") {
    const heif = await readHeifInfo(inputPath, { signal }).catch((error: unknown) => {
      if (error instanceof FfmpegError && error.reason === "exit") return undefined;
      throw error;
    });
    if (!heif) throw new AppError("invalid_input", "The HEIC/HEIF image is truncated or corrupt.");
    return imageProbe({
      container: sniffed.container,
      filesize,
      width: heif.primary.width,
      height: heif.primary.height,
      rotation: 0,
      pages: 1,
      hasAlpha: heif.primary.hasAlpha,
    });
  }
  try {
    const meta = await readImageMetadata(inputPath);
    const container = meta.format === "heif" ? "avif" : meta.format === "jpg" ? "jpeg" : meta.format;
    return imageProbe({
      container,
      filesize,
      width: meta.width,
      height: meta.height,
      rotation: EXIF_ROTATION[meta.orientation] ?? 0,
      pages: meta.pages,
      hasAlpha: meta.hasAlpha,
      durationMs: meta.delay?.reduce((sum, delay) => sum + delay, 0),
    });
  } catch (error) {
    throw imageError(error);
  }
}

/** sharp's errors as API errors: unsupported formats, limits and corrupt data are the caller's file, not our fault. */
export function imageError(error: unknown): unknown {
  // System errors (ENOENT, EACCES…) carry a code and are ours, not the file's.
  if (!(error instanceof Error) || error instanceof AppError || "code" in error) return error;
  if (/pixel limit/i.test(error.message)) {
    return new AppError("unprocessable", "The image has more pixels than this server accepts.");
  }
  if (/unsupported image format/i.test(error.message)) {
    return new AppError("format_unsupported", "The image format is not supported.");
  }
  return new AppError("invalid_input", `The image is truncated or corrupt (${error.message.split("\n")[0]}).`);
}
