// adaptive_video: an HLS package (master + one playlist per rendition + MPEG-TS segments) in one folder (tasks.md §5.5).
import { z } from "zod";
import { resolveClip } from "./clip";
import { STRIP_METADATA, outputPath, requireVideo, videoGeometry } from "./common";
import { ZQuality, checkClip, clipShape, namingShape, sizeShape, type TQuality } from "./options";
import { presetOf } from "./quality";
import type { TPlan, TPlanContext } from "./types";

export const ZAdaptiveVideoOptions = z
  .strictObject({
    format: z.enum(["hls"]).optional(),
    quality: ZQuality.optional(),
    /** Size of the top rendition; lower rungs scale down from it. */
    ...sizeShape,
    ...clipShape,
    fps: z.number().min(1).max(60).optional(),
    ...namingShape,
  })
  .superRefine(checkClip);
export type TAdaptiveVideoOptions = z.infer<typeof ZAdaptiveVideoOptions>;

/** The default ladder (tasks.md §5.5): short side → video bits/s. A rendition is named by its short side (`720p`). */
export const HLS_LADDER = [
  { size: 1080, bitrate: 5_000_000 },
  { size: 720, bitrate: 2_800_000 },
  { size: 480, bitrate: 1_400_000 },
  { size: 360, bitrate: 800_000 },
] as const;

export const HLS_SEGMENT_SECONDS = 6;
const HLS_AUDIO_BITRATE = "128k";
// Keyframe every 2 s at a constant rate: every 6 s segment boundary lands on one, identically in every rendition.
const KEYFRAME_SECONDS = 2;
const QUALITY_SCALE = { very_low: 0.5, low: 0.75, medium: 1, high: 1.25, very_high: 1.5 } as const;

export type TRendition = { name: string; width: number; height: number; bitrate: number };

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}

/**
 * Rungs of the ladder at or below the top size (never upscaled). Inputs smaller than the lowest rung get a single
 * rendition at their own size, its bitrate scaled from the 360p rung by pixel count.
 */
export function chooseRenditions(top: { width: number; height: number }, quality: TQuality | undefined): TRendition[] {
  const scale = QUALITY_SCALE[presetOf(quality)];
  const short = Math.min(top.width, top.height);
  const landscape = top.width >= top.height;
  const rungs: TRendition[] = HLS_LADDER.filter((rung) => rung.size <= short).map((rung) => {
    const long = even(((landscape ? top.width : top.height) * rung.size) / short);
    return {
      name: `${rung.size}p`,
      width: landscape ? long : rung.size,
      height: landscape ? rung.size : long,
      bitrate: Math.round(rung.bitrate * scale),
    };
  });
  if (rungs.length > 0) return rungs;
  const smallest = HLS_LADDER[HLS_LADDER.length - 1] ?? { size: 360, bitrate: 800_000 };
  const pixels = top.width * top.height;
  const bitrate = Math.max(200_000, Math.round((smallest.bitrate * pixels) / (640 * 360)));
  return [{ name: `${short}p`, width: top.width, height: top.height, bitrate: Math.round(bitrate * scale) }];
}

export function planAdaptiveVideo(context: TPlanContext<TAdaptiveVideoOptions>): TPlan {
  const { probe, options, inputPath, outDir } = context;
  requireVideo(probe, "adaptive_video");
  const clip = resolveClip(probe.duration, options);
  const top = videoGeometry(probe, options, { fit: "contain", even: true, limits: context.limits });
  const renditions = chooseRenditions(top, options.quality);
  // Constant frame rate (variable-rate phone footage included) so -g lands keyframes on segment boundaries.
  const fps = Math.min(options.fps ?? probe.fps ?? 30, probe.fps ?? Infinity, 60);
  const gop = Math.max(1, Math.round(fps * KEYFRAME_SECONDS));
  const withAudio = probe.has_audio;

  const base = [`fps=${fps}`, ...top.filters].join(",");
  const labels = renditions.map((_, index) => `s${index}`);
  const split = renditions.length > 1 ? `,split=${renditions.length}${labels.map((label) => `[${label}]`).join("")}` : `[${labels[0]}]`;
  const scales = renditions.map((rung, index) => {
    const sameSize = rung.width === top.width && rung.height === top.height;
    return `[s${index}]${sameSize ? "null" : `scale=${rung.width}:${rung.height},setsar=1`}[v${index}]`;
  });
  const graph = [`[0:v]${base}${split}`, ...scales].join(";");

  const maps = renditions.flatMap((_, index) => ["-map", `[v${index}]`, ...(withAudio ? ["-map", "0:a:0"] : [])]);
  const rates = renditions.flatMap((rung, index) => [
    `-b:v:${index}`,
    String(rung.bitrate),
    `-maxrate:v:${index}`,
    String(Math.round(rung.bitrate * 1.07)),
    `-bufsize:v:${index}`,
    String(Math.round(rung.bitrate * 1.5)),
  ]);
  const streamMap = renditions.map((rung, index) => `v:${index}${withAudio ? `,a:${index}` : ""},name:${rung.name}`).join(" ");
  const master = outputPath(outDir, "master.m3u8");
  const args = [
    ...clip.seekArgs,
    "-i",
    inputPath,
    "-filter_complex",
    graph,
    ...maps,
    "-c:v",
    "libx264",
    "-preset",
    "veryfast",
    "-pix_fmt",
    "yuv420p",
    ...rates,
    "-g",
    String(gop),
    "-keyint_min",
    String(gop),
    // No extra keyframes at scene cuts: they would shift segment boundaries between renditions.
    "-sc_threshold",
    "0",
    ...(withAudio ? ["-c:a", "aac", "-b:a", HLS_AUDIO_BITRATE, "-ac", "2"] : ["-an"]),
    ...clip.lengthArgs,
    ...STRIP_METADATA,
    "-f",
    "hls",
    "-hls_time",
    String(HLS_SEGMENT_SECONDS),
    "-hls_playlist_type",
    "vod",
    "-hls_list_size",
    "0",
    "-hls_segment_type",
    "mpegts",
    "-hls_flags",
    "independent_segments",
    "-hls_segment_filename",
    outputPath(outDir, "%v_%03d.ts"),
    "-master_pl_name",
    "master.m3u8",
    "-var_stream_map",
    streamMap,
    outputPath(outDir, "%v.m3u8"),
  ];
  return {
    steps: [{ tool: "ffmpeg", args, durationSeconds: clip.duration }],
    outputs: [{ path: master, role: "main", mime: "application/vnd.apple.mpegurl" }],
    collect: renditions.flatMap((rung) => [
      { dir: outDir, prefix: `${rung.name}.`, suffix: ".m3u8", role: "playlist" as const, mime: "application/vnd.apple.mpegurl" },
      { dir: outDir, prefix: `${rung.name}_`, suffix: ".ts", role: "segment" as const, mime: "video/mp2t" },
    ]),
    encoders: ["libx264", ...(withAudio ? ["aac"] : [])],
  };
}
