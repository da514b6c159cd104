// Output size and the ffmpeg filters that produce it, from the input's display size and width/height/fit options.
import type { TDimension, TFit, TPosition } from "./options";

export type TGeometryRequest = {
  width?: TDimension;
  height?: TDimension;
  fit: TFit;
  position: TPosition;
  /** `#rrggbb[aa]`; pads `contain` bars. */
  background: string;
  upscale: boolean;
};

export type TGeometrySource = {
  /** Display size (after rotation and sample aspect ratio); ffmpeg autorotates, so filters see this size. */
  width: number;
  height: number;
  /** Stored pixels are not square: scale even when the size stays, so players show the same shape. */
  anamorphic: boolean;
};

export type TGeometry = { width: number; height: number; filters: string[] };

/** A percentage of `base`, or pixels. */
export function resolveDimension(value: TDimension, base: number): number {
  return typeof value === "number" ? value : (base * parseFloat(value)) / 100;
}

/** `even` rounds to multiples of 2, which 4:2:0 encoders (x264, x265, VP9, AV1) require. */
function rounder(even: boolean) {
  return (value: number) => (even ? Math.max(2, Math.round(value / 2) * 2) : Math.max(1, Math.round(value)));
}

/** Offset of a `size` box inside `space` for a position; even offsets keep chroma planes aligned. */
function offset(space: number, axis: "x" | "y", position: TPosition, even: boolean): number {
  const start = axis === "x" ? ["left", "top_left", "bottom_left"] : ["top", "top_left", "top_right"];
  const end = axis === "x" ? ["right", "top_right", "bottom_right"] : ["bottom", "bottom_left", "bottom_right"];
  const raw = start.includes(position) ? 0 : end.includes(position) ? space : space / 2;
  const floored = Math.floor(raw);
  return even ? floored - (floored % 2) : floored;
}

function padColour(background: string): string {
  const hex = background.replace(/^#/, "");
  const full = hex.length <= 4 ? [...hex].map((digit) => digit + digit).join("") : hex;
  return `0x${full.toUpperCase()}`;
}

/**
 * Size rules (tasks.md §5): one dimension scales the other proportionally; both make a box filled per `fit`
 * (contain pads with `background`, cover crops at `position`, fill stretches). Without `upscale` the picture never
 * grows past the input: contain keeps the asked canvas and pads more; cover and fill shrink a box larger than the
 * input, keeping the requested aspect ratio.
 */
export function planGeometry(source: TGeometrySource, request: TGeometryRequest, options: { even: boolean }): TGeometry {
  const round = rounder(options.even);
  const { width: W, height: H } = source;
  const requestedWidth = request.width === undefined ? undefined : resolveDimension(request.width, W);
  const requestedHeight = request.height === undefined ? undefined : resolveDimension(request.height, H);
  const scaleFilters = (width: number, height: number) => [`scale=${width}:${height}`, "setsar=1"];
  // Rounding to even must not add a pixel the input does not have (641 → 640, not 642).
  const capWidth = request.upscale ? Infinity : options.even ? W - (W % 2) : W;
  const capHeight = request.upscale ? Infinity : options.even ? H - (H % 2) : H;
  const fitWidth = (value: number) => Math.min(capWidth, round(value));
  const fitHeight = (value: number) => Math.min(capHeight, round(value));

  if (requestedWidth === undefined || requestedHeight === undefined) {
    let factor = 1;
    if (requestedWidth !== undefined) factor = requestedWidth / W;
    if (requestedHeight !== undefined) factor = requestedHeight / H;
    if (!request.upscale) factor = Math.min(factor, 1);
    const width = fitWidth(W * factor);
    const height = fitHeight(H * factor);
    const unchanged = width === W && height === H && !source.anamorphic;
    return { width, height, filters: unchanged ? [] : scaleFilters(width, height) };
  }

  if (request.fit === "contain") {
    // The canvas is the box as asked; only the picture inside it is kept from growing.
    const boxWidth = round(requestedWidth);
    const boxHeight = round(requestedHeight);
    const factor = Math.min(boxWidth / W, boxHeight / H, request.upscale ? Infinity : 1);
    const width = Math.min(boxWidth, capWidth, round(W * factor));
    const height = Math.min(boxHeight, capHeight, round(H * factor));
    const filters = scaleFilters(width, height);
    if (width < boxWidth || height < boxHeight) {
      const x = offset(boxWidth - width, "x", request.position, options.even);
      const y = offset(boxHeight - height, "y", request.position, options.even);
      filters.splice(1, 0, `pad=${boxWidth}:${boxHeight}:${x}:${y}:color=${padColour(request.background)}`);
    }
    return { width: boxWidth, height: boxHeight, filters };
  }

  // cover and fill would enlarge the picture to reach a box bigger than the input: shrink the box instead.
  const shrink = request.upscale ? 1 : Math.min(1, W / requestedWidth, H / requestedHeight);
  const boxWidth = fitWidth(requestedWidth * shrink);
  const boxHeight = fitHeight(requestedHeight * shrink);
  if (request.fit === "fill") return { width: boxWidth, height: boxHeight, filters: scaleFilters(boxWidth, boxHeight) };

  const factor = Math.max(boxWidth / W, boxHeight / H);
  const width = Math.max(boxWidth, round(W * factor));
  const height = Math.max(boxHeight, round(H * factor));
  const filters = scaleFilters(width, height);
  if (width > boxWidth || height > boxHeight) {
    const x = offset(width - boxWidth, "x", request.position, options.even);
    const y = offset(height - boxHeight, "y", request.position, options.even);
    filters.splice(1, 0, `crop=${boxWidth}:${boxHeight}:${x}:${y}`);
  }
  return { width: boxWidth, height: boxHeight, filters };
}

/** The geometry source of a probe, refusing inputs without a frame size. */
export function geometrySource(probe: { width?: number; height?: number; video?: { sample_aspect_ratio?: string } }): TGeometrySource {
  if (!probe.width || !probe.height) throw new Error("planGeometry needs a probe with width and height");
  const sar = probe.video?.sample_aspect_ratio;
  return { width: probe.width, height: probe.height, anamorphic: sar !== undefined && sar !== "1:1" && sar !== "0:1" };
}
