// thumbnails: a sprite sheet of evenly spaced frames plus a WebVTT track pointing into it (tasks.md §5.6).
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { STRIP_METADATA, outputPath, requireVideo } from "./common";
import { geometrySource, planGeometry } from "./geometry";
import { ZQuality, namingShape } from "./options";
import { imageQuality } from "./quality";
import type { TPlan, TPlanContext, TSharpItem } from "./types";

export const MAX_THUMBNAIL_TILES = 1000;
export const DEFAULT_THUMBNAIL_INTERVAL = 10;
export const DEFAULT_TILE_WIDTH = 160;
const DEFAULT_COLUMNS = 10;

export const ZThumbnailsOptions = z
  .strictObject({
    /** `vtt`: sprite + WebVTT; `jpg`: the same plus every tile as its own JPEG. */
    format: z.enum(["vtt", "jpg"]).optional(),
    count: z.number().int().min(1).max(MAX_THUMBNAIL_TILES).optional(),
    /** Seconds between tiles. */
    interval: z.number().min(0.5).max(86_400).optional(),
    width: z.number().int().min(16).max(1280).optional(),
    height: z.number().int().min(16).max(1280).optional(),
    columns: z.number().int().min(1).max(50).optional(),
    quality: ZQuality.optional(),
    ...namingShape,
  })
  .refine((value) => value.count === undefined || value.interval === undefined, {
    path: ["interval"],
    message: "give count or interval, not both",
  });
export type TThumbnailsOptions = z.infer<typeof ZThumbnailsOptions>;

/** `HH:MM:SS.mmm` as WebVTT wants it. */
export function vttTime(totalSeconds: number): string {
  const millis = Math.round(totalSeconds * 1000);
  const hours = Math.floor(millis / 3_600_000);
  const minutes = Math.floor((millis % 3_600_000) / 60_000);
  const secs = Math.floor((millis % 60_000) / 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}.${pad(millis % 1000, 3)}`;
}

export type TTileLayout = { count: number; interval: number; columns: number; rows: number; tileWidth: number; tileHeight: number };

export function thumbnailsVtt(layout: TTileLayout, duration: number, spriteName: string): string {
  const cues = Array.from({ length: layout.count }, (_, index) => {
    const start = index * layout.interval;
    const end = Math.min(duration, (index + 1) * layout.interval);
    const x = (index % layout.columns) * layout.tileWidth;
    const y = Math.floor(index / layout.columns) * layout.tileHeight;
    return `${vttTime(start)} --> ${vttTime(end)}\n${spriteName}#xywh=${x},${y},${layout.tileWidth},${layout.tileHeight}`;
  });
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

export function planThumbnails(context: TPlanContext<TThumbnailsOptions>): TPlan {
  const { probe, options, inputPath, outDir, limits } = context;
  requireVideo(probe, "thumbnails");
  const duration = probe.duration;
  if (!duration) throw new AppError("invalid_input", "Thumbnails need an input with a known duration.");
  let interval = options.interval ?? (options.count ? duration / options.count : DEFAULT_THUMBNAIL_INTERVAL);
  let count = Math.max(1, Math.ceil(duration / interval - 1e-9));
  if (count > MAX_THUMBNAIL_TILES) {
    count = MAX_THUMBNAIL_TILES;
    interval = duration / MAX_THUMBNAIL_TILES;
  }
  interval = Math.round(interval * 1000) / 1000;
  // Tiles may be larger than a tiny input (a 160 px tile from a 120 px video): scaling up is the point of a fixed grid.
  const tile = planGeometry(
    geometrySource(probe),
    { width: options.width ?? DEFAULT_TILE_WIDTH, height: options.height, fit: "contain", position: "center", background: "#000000", upscale: true },
    { even: true },
  );
  const columns = Math.min(count, options.columns ?? DEFAULT_COLUMNS);
  const rows = Math.ceil(count / columns);
  const layout: TTileLayout = { count, interval, columns, rows, tileWidth: tile.width, tileHeight: tile.height };
  if (columns * tile.width * rows * tile.height > limits.maxPixels) {
    throw new AppError("invalid_input", "The sprite sheet would exceed the pixel limit; ask for fewer or smaller tiles.");
  }
  const sprite = outputPath(outDir, "sprite.jpg");
  const vtt = outputPath(outDir, "thumbnails.vtt");
  const jpegQuality = imageQuality("jpeg", options.quality);
  const args = [
    "-i",
    inputPath,
    "-map",
    "0:v:0",
    "-an",
    "-sn",
    "-dn",
    "-vf",
    // eof_action=pass keeps the last tile: without it a clip shorter than half an interval past the last tile's time yields none.
    [`fps=1/${interval}:eof_action=pass`, ...tile.filters, `tile=${columns}x${rows}`].join(","),
    "-frames:v",
    "1",
    "-c:v",
    "mjpeg",
    // mjpeg's qscale 2 (best) … 31; 3 keeps small tiles crisp.
    "-q:v",
    "3",
    ...STRIP_METADATA,
    "-f",
    "image2",
    "-update",
    "1",
    sprite,
  ];
  const tiles: TSharpItem[] = Array.from({ length: count }, (_, index) => ({
    input: sprite,
    output: outputPath(outDir, `thumb-${String(index).padStart(3, "0")}.jpg`),
    extract: {
      left: (index % columns) * tile.width,
      top: Math.floor(index / columns) * tile.height,
      width: tile.width,
      height: tile.height,
    },
  }));
  return {
    steps: [
      { tool: "ffmpeg", args, durationSeconds: duration },
      { tool: "write", path: vtt, content: thumbnailsVtt(layout, duration, "sprite.jpg") },
      ...(options.format === "jpg"
        ? [
            {
              tool: "sharp" as const,
              pipeline: {
                limitInputPixels: limits.maxPixels,
                animated: false,
                maxPages: 1,
                autoOrient: true as const,
                output: { format: "jpeg" as const, quality: jpegQuality },
                keepMetadata: false as const,
              },
              items: tiles,
            },
          ]
        : []),
    ],
    outputs: [
      { path: sprite, role: "sprite", mime: "image/jpeg" },
      { path: vtt, role: "vtt", mime: "text/vtt" },
    ],
    collect: options.format === "jpg" ? [{ dir: outDir, prefix: "thumb-", suffix: ".jpg", role: "frame", mime: "image/jpeg" }] : [],
    encoders: ["mjpeg"],
  };
}
