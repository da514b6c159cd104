// Quality presets → encoder settings. Unset quality means `medium`; integers 0–100 interpolate linearly.
import { QUALITY_PRESETS, type TQuality, type TQualityPreset } from "./options";

export type TVideoCodec = "h264" | "h265" | "vp9" | "av1";

/**
 * CRF and speed preset per codec and quality. CRF scales differ by encoder (x264/x265 0–51, libvpx-vp9 and
 * SVT-AV1 0–63), so each column is tuned to look alike across codecs: h264 medium = x264's own default 23.
 * Speed presets stay fast (self-hosted, often 2 cores) and slow down only for the top two presets.
 *
 * | quality   | h264 crf/preset | h265 crf/preset | vp9 crf/cpu-used | av1 crf/preset |
 * |-----------|-----------------|-----------------|------------------|----------------|
 * | very_low  | 32 veryfast     | 34 veryfast     | 45 / 5           | 46 / 12        |
 * | low       | 28 veryfast     | 31 veryfast     | 40 / 5           | 40 / 11        |
 * | medium    | 23 veryfast     | 28 veryfast     | 34 / 4           | 35 / 10        |
 * | high      | 20 fast         | 24 fast         | 30 / 3           | 30 / 8         |
 * | very_high | 18 medium       | 20 medium       | 24 / 2           | 24 / 6         |
 */
export const VIDEO_QUALITY: Record<TVideoCodec, Record<TQualityPreset, { crf: number; preset: string }>> = {
  h264: {
    very_low: { crf: 32, preset: "veryfast" },
    low: { crf: 28, preset: "veryfast" },
    medium: { crf: 23, preset: "veryfast" },
    high: { crf: 20, preset: "fast" },
    very_high: { crf: 18, preset: "medium" },
  },
  h265: {
    very_low: { crf: 34, preset: "veryfast" },
    low: { crf: 31, preset: "veryfast" },
    medium: { crf: 28, preset: "veryfast" },
    high: { crf: 24, preset: "fast" },
    very_high: { crf: 20, preset: "medium" },
  },
  vp9: {
    very_low: { crf: 45, preset: "5" },
    low: { crf: 40, preset: "5" },
    medium: { crf: 34, preset: "4" },
    high: { crf: 30, preset: "3" },
    very_high: { crf: 24, preset: "2" },
  },
  av1: {
    very_low: { crf: 46, preset: "12" },
    low: { crf: 40, preset: "11" },
    medium: { crf: 35, preset: "10" },
    high: { crf: 30, preset: "8" },
    very_high: { crf: 24, preset: "6" },
  },
};

/** The preset a 0–100 number falls in (0–19 very_low … 80–100 very_high), for settings that do not interpolate. */
export function presetOf(quality: TQuality | undefined): TQualityPreset {
  if (quality === undefined) return "medium";
  if (typeof quality === "string") return quality;
  return QUALITY_PRESETS[Math.min(4, Math.floor(quality / 20))] ?? "medium";
}

/** Linear interpolation from the very_low value (0) to the very_high value (100). */
function interpolate(quality: number, worst: number, best: number): number {
  return Math.round(worst + ((best - worst) * quality) / 100);
}

export function videoQuality(codec: TVideoCodec, quality: TQuality | undefined): { crf: number; preset: string } {
  const table = VIDEO_QUALITY[codec];
  const bucket = table[presetOf(quality)];
  if (typeof quality !== "number") return bucket;
  return { crf: interpolate(quality, table.very_low.crf, table.very_high.crf), preset: bucket.preset };
}

/** Encoder quality for still images (sharp's 1–100 scales): JPEG/WebP per tasks.md, AVIF lower (its scale is steeper). */
export const IMAGE_QUALITY: Record<"jpeg" | "webp" | "avif", Record<TQualityPreset, number>> = {
  jpeg: { very_low: 40, low: 55, medium: 70, high: 82, very_high: 92 },
  webp: { very_low: 40, low: 55, medium: 70, high: 82, very_high: 92 },
  avif: { very_low: 30, low: 40, medium: 50, high: 60, very_high: 75 },
};

/** Image default when quality is unset: 80, the documented default (a little above `medium`). */
export const DEFAULT_IMAGE_QUALITY = { jpeg: 80, webp: 80, avif: 55 } as const;

/** Numbers are passed through: a caller who writes 85 means the encoder's own 85. */
export function imageQuality(format: "jpeg" | "webp" | "avif", quality: TQuality | undefined): number {
  if (quality === undefined) return DEFAULT_IMAGE_QUALITY[format];
  return typeof quality === "number" ? Math.max(1, quality) : IMAGE_QUALITY[format][quality];
}

export type TAudioCodec = "aac" | "mp3" | "vorbis" | "opus";

/** Audio bitrates (bits/s) per quality; Opus needs less for the same quality. */
export const AUDIO_BITRATE: Record<TAudioCodec, Record<TQualityPreset, number>> = {
  aac: { very_low: 64_000, low: 96_000, medium: 128_000, high: 192_000, very_high: 256_000 },
  mp3: { very_low: 64_000, low: 96_000, medium: 128_000, high: 192_000, very_high: 256_000 },
  vorbis: { very_low: 64_000, low: 96_000, medium: 128_000, high: 192_000, very_high: 256_000 },
  opus: { very_low: 32_000, low: 64_000, medium: 96_000, high: 128_000, very_high: 160_000 },
};

export function audioBitrate(codec: TAudioCodec, quality: TQuality | undefined): number {
  const table = AUDIO_BITRATE[codec];
  if (typeof quality !== "number") return table[presetOf(quality)];
  return Math.round(interpolate(quality, table.very_low / 1000, table.very_high / 1000)) * 1000;
}

/** GIF palette size per quality: fewer colours make much smaller files. */
export const GIF_COLOURS: Record<TQualityPreset, number> = { very_low: 32, low: 64, medium: 128, high: 256, very_high: 256 };
