// video: transcode/resize/trim into mp4, webm or mov with h264, h265, VP9 or AV1 (tasks.md §5.1).
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { mimeForContainer } from "../mime";
import { resolveClip } from "./clip";
import { STRIP_METADATA, fpsFilter, outputPath, requireVideo, videoGeometry } from "./common";
import { ZQuality, checkClip, clipShape, namingShape, sizeShape, type TQuality } from "./options";
import { audioBitrate, videoQuality, type TVideoCodec } from "./quality";
import type { TPlan, TPlanContext } from "./types";

export const VIDEO_FORMATS = ["mp4", "webm", "mov"] as const;
export const VIDEO_CODECS = ["h264", "h265", "vp9", "av1"] as const;
export type TVideoFormat = (typeof VIDEO_FORMATS)[number];

export const ZVideoOptions = z
  .strictObject({
    format: z.enum(VIDEO_FORMATS).optional(),
    codec: z.enum(VIDEO_CODECS).optional(),
    quality: ZQuality.optional(),
    ...sizeShape,
    fps: z.number().min(1).max(60).optional(),
    /** Target video bits/s: a cap with CRF codecs (x264/x265/VP9), the rate itself for AV1. */
    bitrate: z.number().int().min(300_000).max(60_000_000).optional(),
    ...clipShape,
    mute: z.boolean().optional(),
    /** Most frames to encode. */
    frames: z.number().int().positive().optional(),
    ...namingShape,
  })
  .superRefine(checkClip);
export type TVideoOptions = z.infer<typeof ZVideoOptions>;

/** Which containers each codec may be written to (tasks.md §5.1). */
export const CODEC_CONTAINERS: Record<TVideoCodec, readonly TVideoFormat[]> = {
  h264: ["mp4", "mov"],
  h265: ["mp4", "mov"],
  vp9: ["webm"],
  av1: ["mp4", "webm"],
};

export const VIDEO_ENCODERS: Record<TVideoCodec, string> = { h264: "libx264", h265: "libx265", vp9: "libvpx-vp9", av1: "libsvtav1" };

/** format/codec defaults and the compatibility rule: mp4/mov → h264, webm → VP9; a codec alone picks its first container. */
export function resolveFormatAndCodec(options: { format?: TVideoFormat; codec?: TVideoCodec }): { format: TVideoFormat; codec: TVideoCodec } {
  const codec = options.codec ?? (options.format === "webm" ? "vp9" : "h264");
  const format = options.format ?? CODEC_CONTAINERS[codec][0] ?? "mp4";
  if (!CODEC_CONTAINERS[codec].includes(format)) {
    throw new AppError(
      "format_unsupported",
      `Codec '${codec}' cannot be written to '${format}'; use ${CODEC_CONTAINERS[codec].join(" or ")}.`,
    );
  }
  return { format, codec };
}

/** Encoder arguments for one codec; `pixFmt` is decided by the caller from the input's bit depth. */
export function videoCodecArgs(
  codec: TVideoCodec,
  settings: { quality: TQuality | undefined; bitrate?: number; pixFmt: string },
): string[] {
  const { crf, preset } = videoQuality(codec, settings.quality);
  const { bitrate, pixFmt } = settings;
  // Capped CRF: constant quality, but never above the asked rate (bufsize of two seconds at that rate).
  const cap = bitrate ? ["-maxrate", String(bitrate), "-bufsize", String(bitrate * 2)] : [];
  switch (codec) {
    case "h264":
      return ["-c:v", "libx264", "-preset", preset, "-crf", String(crf), ...cap, "-pix_fmt", pixFmt];
    case "h265":
      // hvc1 (parameter sets in the sample entry) is the tag Apple players require for HEVC in MP4/MOV.
      return ["-c:v", "libx265", "-preset", preset, "-crf", String(crf), ...cap, "-pix_fmt", pixFmt, "-tag:v", "hvc1", "-x265-params", "log-level=error"];
    case "vp9":
      // -b:v 0 selects pure constant quality; with a bitrate it becomes constrained quality.
      return ["-c:v", "libvpx-vp9", "-crf", String(crf), "-b:v", String(bitrate ?? 0), "-deadline", "good", "-cpu-used", preset, "-row-mt", "1", "-pix_fmt", pixFmt];
    case "av1":
      return ["-c:v", "libsvtav1", "-preset", preset, ...(bitrate ? ["-b:v", String(bitrate)] : ["-crf", String(crf)]), "-pix_fmt", pixFmt];
  }
}

/** 8-bit 4:2:0 plays everywhere, so H.264 always gets it; HEVC, VP9 and AV1 keep 10-bit sources 10-bit. */
export function pixelFormatFor(codec: TVideoCodec, bitDepth: number | undefined): string {
  if (codec === "h264") return "yuv420p";
  return bitDepth !== undefined && bitDepth > 8 ? "yuv420p10le" : "yuv420p";
}

export function planVideo(context: TPlanContext<TVideoOptions>): TPlan {
  const { probe, options, inputPath, outDir } = context;
  requireVideo(probe, "video");
  const { format, codec } = resolveFormatAndCodec(options);
  const clip = resolveClip(probe.duration, options);
  const geometry = videoGeometry(probe, options, { fit: "contain", even: true, limits: context.limits });
  const filters = [...fpsFilter(options.fps, probe.fps), ...geometry.filters];
  const withAudio = probe.has_audio && options.mute !== true;
  const audioCodec = format === "webm" ? "opus" : "aac";
  const audioArgs = withAudio
    ? [
        "-c:a",
        audioCodec === "opus" ? "libopus" : "aac",
        "-b:a",
        `${audioBitrate(audioCodec, options.quality) / 1000}k`,
        // libopus refuses some surround layouts (5.1(side)); stereo plays everywhere.
        ...(audioCodec === "opus" && (probe.audio?.channels ?? 2) > 2 ? ["-ac", "2"] : []),
      ]
    : ["-an"];
  const output = outputPath(outDir, `video.${format}`);
  const args = [
    ...clip.seekArgs,
    "-i",
    inputPath,
    "-map",
    "0:v:0",
    ...(withAudio ? ["-map", "0:a:0"] : []),
    ...(filters.length > 0 ? ["-vf", filters.join(",")] : []),
    ...videoCodecArgs(codec, { quality: options.quality, bitrate: options.bitrate, pixFmt: pixelFormatFor(codec, probe.video?.bit_depth) }),
    ...(options.frames !== undefined ? ["-frames:v", String(options.frames)] : []),
    ...audioArgs,
    ...clip.lengthArgs,
    ...STRIP_METADATA,
    // moov first, so playback starts before the whole file has downloaded.
    ...(format === "webm" ? [] : ["-movflags", "+faststart"]),
    "-f",
    format,
    output,
  ];
  return {
    steps: [{ tool: "ffmpeg", args, durationSeconds: clip.duration }],
    outputs: [{ path: output, role: "main", mime: mimeForContainer("video", format) }],
    collect: [],
    encoders: [VIDEO_ENCODERS[codec], ...(withAudio ? [audioCodec === "opus" ? "libopus" : "aac"] : [])],
  };
}
