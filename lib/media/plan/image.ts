// image: convert/resize an image, or grab one frame (or a frame every N seconds) from a video (tasks.md §5.3).
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { MAX_ANIMATION_FRAMES, type TMediaLimits } from "../limits";
import { IMAGE_MIME } from "../mime";
import type { TProbe } from "../probe-types";
import type { TSharpFormat, TSharpPipeline } from "../sharp";
import { resolveClip, seconds } from "./clip";
import { assertOutputSize, outputPath } from "./common";
import { resolveDimension } from "./geometry";
import { ZQuality, namingShape, sizeShape, type TPosition } from "./options";
import { imageQuality } from "./quality";
import type { TPlan, TPlanContext, TPlanStep } from "./types";

export const IMAGE_FORMATS = ["jpeg", "png", "webp", "avif", "gif"] as const;

/** Frames one `interval` request may produce. */
export const MAX_FRAME_SERIES = 1000;

export const ZImageOptions = z.strictObject({
  /** `jpg` is accepted as a spelling of `jpeg`. */
  format: z.enum([...IMAGE_FORMATS, "jpg"]).optional(),
  quality: ZQuality.optional(),
  ...sizeShape,
  /** Frame time for video inputs. */
  start: z.number().min(0).max(1_000_000).optional(),
  /** One frame every N seconds over a video input. */
  interval: z.number().min(0.1).max(86_400).optional(),
  /** Keep every frame of an animated GIF/WebP input (GIF/WebP output only). */
  animated: z.boolean().optional(),
  ...namingShape,
});
export type TImageOptions = z.infer<typeof ZImageOptions>;

const ALPHA_FORMATS = new Set<TSharpFormat>(["png", "webp", "avif", "gif"]);

const SHARP_POSITION: Record<TPosition, string> = {
  center: "centre",
  top: "top",
  bottom: "bottom",
  left: "left",
  right: "right",
  top_left: "left top",
  top_right: "right top",
  bottom_left: "left bottom",
  bottom_right: "right bottom",
};

export function extensionFor(format: TSharpFormat): string {
  return format === "jpeg" ? "jpg" : format;
}

/** Output format: as asked; else the input's when it is writable; else PNG for transparent inputs, JPEG otherwise. */
export function imageFormatFor(probe: TProbe, requested: TImageOptions["format"]): TSharpFormat {
  if (requested === "jpg") return "jpeg";
  if (requested) return requested;
  if (probe.kind === "image" && (IMAGE_FORMATS as readonly string[]).includes(probe.container)) return probe.container as TSharpFormat;
  return probe.kind === "image" && probe.transparency ? "png" : "jpeg";
}

/** The sharp pipeline for one image: resize per fit/position/background, flatten for opaque formats, encode. */
export function imagePipeline(probe: TProbe, options: TImageOptions, format: TSharpFormat, limits: TMediaLimits): TSharpPipeline {
  const width = probe.width ?? 1;
  const height = probe.height ?? 1;
  const resizeWidth = options.width === undefined ? undefined : Math.max(1, Math.round(resolveDimension(options.width, width)));
  const resizeHeight = options.height === undefined ? undefined : Math.max(1, Math.round(resolveDimension(options.height, height)));
  const animated = options.animated === true && probe.animated && (format === "gif" || format === "webp");
  const pipeline: TSharpPipeline = {
    limitInputPixels: limits.maxPixels,
    animated,
    // Frames of an animation decode into one tall image: the frame count is capped so it stays within the pixel limit.
    maxPages: animated
      ? Math.max(1, Math.min(probe.frames ?? 1, MAX_ANIMATION_FRAMES, Math.floor(limits.maxPixels / (width * height))))
      : 1,
    autoOrient: true,
    output: {
      format,
      ...(format === "jpeg" || format === "webp" || format === "avif" ? { quality: imageQuality(format, options.quality) } : {}),
      // AVIF's default effort takes seconds per megapixel; 2 is close in size at a fraction of the time.
      ...(format === "avif" ? { effort: 2 } : format === "webp" ? { effort: 4 } : {}),
    },
    keepMetadata: false,
  };
  if (resizeWidth !== undefined || resizeHeight !== undefined) {
    // The largest the output can get (one side given: the other follows the input's aspect ratio).
    assertOutputSize(
      {
        width: resizeWidth ?? Math.round(((resizeHeight ?? height) * width) / height),
        height: resizeHeight ?? Math.round(((resizeWidth ?? width) * height) / width),
      },
      limits,
    );
    pipeline.resize = {
      width: resizeWidth,
      height: resizeHeight,
      fit: resizeWidth === undefined || resizeHeight === undefined ? "inside" : (options.fit ?? "fill"),
      position: SHARP_POSITION[options.position ?? "center"],
      background: options.background ?? (ALPHA_FORMATS.has(format) ? "transparent" : "#000000"),
      withoutEnlargement: options.upscale !== true,
    };
  }
  if (!ALPHA_FORMATS.has(format) && probe.transparency) pipeline.flatten = { background: options.background ?? "#ffffff" };
  return pipeline;
}

export function planImage(context: TPlanContext<TImageOptions>): TPlan {
  const { probe, options } = context;
  const format = imageFormatFor(probe, options.format);
  if (probe.kind === "image") return planImageFromImage(context, format);
  if (!probe.has_video) throw new AppError("invalid_input", `An image task needs an image or video input; this input is ${probe.kind}.`);
  return options.interval === undefined ? planFrameGrab(context, format) : planFrameSeries(context, format, options.interval);
}

function planImageFromImage(context: TPlanContext<TImageOptions>, format: TSharpFormat): TPlan {
  const { probe, options, inputPath, outDir, workDir, limits } = context;
  if (options.interval !== undefined) throw new AppError("invalid_input", "interval needs a video input; this input is an image.");
  const output = outputPath(outDir, `image.${extensionFor(format)}`);
  const steps: TPlanStep[] = [];
  let source = inputPath;
  if (probe.container === "heic" || probe.container === "heif") {
    source = path.join(workDir, "heic-primary.jpg");
    steps.push({ tool: "heif-convert", input: inputPath, output: source });
  }
  steps.push({ tool: "sharp", pipeline: imagePipeline(probe, options, format, limits), items: [{ input: source, output }] });
  return { steps, outputs: [{ path: output, role: "main", mime: IMAGE_MIME[format] ?? "image/jpeg" }], collect: [], encoders: [] };
}

// Frame grabs decode to lossless PNG; sharp then does every resize and encode, as it does for still inputs.
const FRAME_ARGS = ["-map", "0:v:0", "-an", "-sn", "-dn", "-map_metadata", "-1"];

function planFrameGrab(context: TPlanContext<TImageOptions>, format: TSharpFormat): TPlan {
  const { probe, options, inputPath, outDir, workDir, limits } = context;
  const clip = resolveClip(probe.duration, { start: options.start });
  // A time inside the last frame's span seeks past every frame; step back to the last frame's start.
  const lastFrame = probe.duration !== undefined && probe.fps ? Math.floor((probe.duration - 1 / probe.fps) * 1000) / 1000 : undefined;
  const start = lastFrame !== undefined ? Math.max(0, Math.min(clip.start, lastFrame)) : clip.start;
  const frame = path.join(workDir, "frame.png");
  const output = outputPath(outDir, `image.${extensionFor(format)}`);
  const args = [...(start > 0 ? ["-ss", seconds(start)] : []), "-i", inputPath, ...FRAME_ARGS, "-frames:v", "1", "-c:v", "png", "-f", "image2", "-update", "1", frame];
  return {
    steps: [
      { tool: "ffmpeg", args },
      { tool: "sharp", pipeline: imagePipeline(probe, options, format, limits), items: [{ input: frame, output }] },
    ],
    outputs: [{ path: output, role: "main", mime: IMAGE_MIME[format] ?? "image/jpeg" }],
    collect: [],
    encoders: ["png"],
  };
}

function planFrameSeries(context: TPlanContext<TImageOptions>, format: TSharpFormat, interval: number): TPlan {
  const { probe, options, inputPath, outDir, workDir, limits } = context;
  const clip = resolveClip(probe.duration, { start: options.start });
  const count = Math.min(MAX_FRAME_SERIES, Math.max(1, Math.ceil(clip.duration / interval)));
  const extension = extensionFor(format);
  const args = [
    ...clip.seekArgs,
    "-i",
    inputPath,
    ...FRAME_ARGS,
    "-vf",
    `fps=1/${interval}`,
    "-frames:v",
    String(count),
    "-c:v",
    "png",
    "-f",
    "image2",
    "-start_number",
    "0",
    path.join(workDir, "frame-%04d.png"),
  ];
  const items = Array.from({ length: count }, (_, index) => ({
    input: path.join(workDir, `frame-${String(index).padStart(4, "0")}.png`),
    output: outputPath(outDir, `thumb-${String(index).padStart(3, "0")}.${extension}`),
  }));
  return {
    steps: [
      { tool: "ffmpeg", args, durationSeconds: clip.duration },
      { tool: "sharp", pipeline: imagePipeline(probe, options, format, limits), items },
    ],
    outputs: [],
    collect: [{ dir: outDir, prefix: "thumb-", suffix: `.${extension}`, role: "frame", mime: IMAGE_MIME[format] ?? "image/jpeg" }],
    encoders: ["png"],
  };
}
