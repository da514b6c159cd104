// animation: a short looping GIF or animated WebP from a video or animated GIF (tasks.md §5.4).
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { MAX_ANIMATION_FRAMES } from "../limits";
import { resolveClip, seconds } from "./clip";
import { STRIP_METADATA, outputPath, videoGeometry } from "./common";
import { ZQuality, checkClip, clipShape, namingShape, sizeShape } from "./options";
import { GIF_COLOURS, imageQuality, presetOf } from "./quality";
import type { TPlan, TPlanContext } from "./types";

export const ANIMATION_FORMATS = ["gif", "webp"] as const;

/** Length of an animation whose end the caller left open. */
export const DEFAULT_ANIMATION_SECONDS = 60;

export const ZAnimationOptions = z
  .strictObject({
    format: z.enum(ANIMATION_FORMATS).optional(),
    quality: ZQuality.optional(),
    ...sizeShape,
    ...clipShape,
    fps: z.number().min(1).max(50).optional(),
    ...namingShape,
  })
  .superRefine(checkClip);
export type TAnimationOptions = z.infer<typeof ZAnimationOptions>;

export function planAnimation(context: TPlanContext<TAnimationOptions>): TPlan {
  const { probe, options, inputPath, outDir } = context;
  const isAnimatedGif = probe.kind === "image" && probe.animated && probe.container === "gif";
  if (!(probe.has_video || isAnimatedGif) || !probe.width || !probe.height) {
    throw new AppError("invalid_input", `An animation needs a video or animated GIF input; this input is ${probe.kind} (${probe.container}).`);
  }
  const format = options.format ?? "gif";
  const fps = Math.min(options.fps ?? 10, probe.fps ?? Infinity);
  const clip = resolveClip(probe.duration, options, { maxDuration: DEFAULT_ANIMATION_SECONDS });
  const frames = Math.ceil(clip.duration * fps);
  if (frames > MAX_ANIMATION_FRAMES) {
    throw new AppError(
      "invalid_input",
      `The animation would have ${frames} frames; at most ${MAX_ANIMATION_FRAMES} are allowed. Shorten it or lower fps.`,
    );
  }
  // GIF and WebP have no chroma subsampling constraint, so odd sizes are fine.
  const geometry = videoGeometry(probe, options, { fit: "contain", even: false, limits: context.limits });
  const base = [`fps=${fps}`, ...geometry.filters.map((filter) => (filter.startsWith("scale=") ? `${filter}:flags=lanczos` : filter))];
  const output = outputPath(outDir, `animation.${format}`);
  // -t before -i bounds what is read: palettegen only emits its palette at end of input, so an output-side -t
  // would still decode the whole source.
  const input = [...clip.seekArgs, "-t", seconds(clip.duration), "-i", inputPath];
  const encode =
    format === "gif"
      ? [
          "-filter_complex",
          // One graph: the same frames feed palettegen and paletteuse, so the palette fits this clip.
          `[0:v]${base.join(",")},split[a][b];[a]palettegen=max_colors=${GIF_COLOURS[presetOf(options.quality)]}:stats_mode=diff[p];[b][p]paletteuse=dither=sierra2_4a:diff_mode=rectangle[out]`,
          "-map",
          "[out]",
          "-loop",
          "0",
          "-f",
          "gif",
        ]
      : [
          "-map",
          "0:v:0",
          "-vf",
          base.join(","),
          "-c:v",
          "libwebp_anim",
          "-lossless",
          "0",
          "-quality",
          String(imageQuality("webp", options.quality)),
          "-loop",
          "0",
          "-f",
          "webp",
        ];
  return {
    steps: [{ tool: "ffmpeg", args: [...input, "-an", "-sn", "-dn", ...STRIP_METADATA, ...encode, output], durationSeconds: clip.duration }],
    outputs: [{ path: output, role: "main", mime: format === "gif" ? "image/gif" : "image/webp" }],
    collect: [],
    encoders: [format === "gif" ? "gif" : "libwebp_anim"],
  };
}
