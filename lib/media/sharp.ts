// The one importer of sharp: reads image headers and runs the image pipelines the planners describe.
import sharp from "sharp";

// Two libvips threads per operation: halves AVIF time on two cores without starving ffmpeg running beside it.
sharp.concurrency(2);
// Every job reads a different file once, so libvips' operation cache only holds memory.
sharp.cache(false);

export type TSharpFormat = "jpeg" | "png" | "webp" | "avif" | "gif";
/** `inside` keeps the aspect ratio when only one side is given (sharp's `fill` would keep the other side as is). */
export type TSharpFit = "contain" | "cover" | "fill" | "inside";

/** Pure data describing one image conversion; `runSharpPipeline` carries it out. */
export type TSharpPipeline = {
  limitInputPixels: number;
  /** Read every frame of an animated input (up to `maxPages`); false reads only the first. */
  animated: boolean;
  maxPages: number;
  /** Turn the pixels upright by the EXIF orientation, then drop the tag. */
  autoOrient: true;
  extract?: { left: number; top: number; width: number; height: number };
  resize?: {
    width?: number;
    height?: number;
    fit: TSharpFit;
    /** sharp's position names: `centre`, `top`, `left top`… */
    position: string;
    /** `#rrggbb`, `#rrggbbaa` or `transparent`; fills the bars `contain` adds. */
    background: string;
    withoutEnlargement: boolean;
  };
  /** Composite onto a solid colour, for formats without alpha. */
  flatten?: { background: string };
  output: { format: TSharpFormat; quality?: number; effort?: number };
  /** EXIF, ICC, XMP are dropped (sharp's default); listed so the plan says so. */
  keepMetadata: false;
};

export type TImageMetadata = {
  format: string;
  /** Display size: EXIF orientation applied. */
  width: number;
  height: number;
  orientation: number;
  pages: number;
  /** Height of one frame of an animated image. */
  pageHeight: number;
  hasAlpha: boolean;
  loop?: number;
  delay?: number[];
};

/**
 * Header facts only: metadata() decodes no pixels, so absurd declared sizes cost nothing. Its pixel limit is left off
 * on purpose: assertProbeWithinLimits refuses oversize images with a message naming their size, and every pipeline
 * that decodes pixels sets `limitInputPixels`.
 */
export async function readImageMetadata(inputPath: string): Promise<TImageMetadata> {
  const meta = await sharp(inputPath, { limitInputPixels: false }).metadata();
  const pages = meta.pages ?? 1;
  const pageHeight = meta.pageHeight ?? meta.height;
  const swaps = (meta.orientation ?? 1) >= 5;
  return {
    format: meta.format,
    width: swaps ? pageHeight : meta.width,
    height: swaps ? meta.width : pageHeight,
    orientation: meta.orientation ?? 1,
    pages,
    pageHeight,
    hasAlpha: meta.hasAlpha,
    loop: meta.loop,
    delay: meta.delay,
  };
}

type TRgba = { r: number; g: number; b: number; alpha: number };

function colour(value: string): TRgba {
  if (value === "transparent") return { r: 0, g: 0, b: 0, alpha: 0 };
  const hex = value.replace(/^#/, "");
  const full = hex.length === 3 || hex.length === 4 ? [...hex].map((digit) => digit + digit).join("") : hex;
  const channel = (index: number) => parseInt(full.slice(index * 2, index * 2 + 2), 16);
  return { r: channel(0), g: channel(1), b: channel(2), alpha: full.length === 8 ? channel(3) / 255 : 1 };
}

export type TImageResult = { width: number; height: number; format: string; size: number; pages: number };

/** Runs a pipeline from `inputPath` to `outputPath`; returns what sharp wrote. */
export async function runSharpPipeline(pipeline: TSharpPipeline, inputPath: string, outputPath: string): Promise<TImageResult> {
  let image = sharp(inputPath, {
    limitInputPixels: pipeline.limitInputPixels,
    failOn: "error",
    ...(pipeline.animated ? { animated: true, pages: pipeline.maxPages } : { pages: 1 }),
  });
  image = image.autoOrient();
  if (pipeline.extract) image = image.extract(pipeline.extract);
  if (pipeline.resize) {
    const { width, height, fit, position, background, withoutEnlargement } = pipeline.resize;
    image = image.resize({ width, height, fit, position, background: colour(background), withoutEnlargement });
  }
  if (pipeline.flatten) image = image.flatten({ background: colour(pipeline.flatten.background) });
  const { format, quality, effort } = pipeline.output;
  switch (format) {
    case "jpeg":
      image = image.jpeg({ quality });
      break;
    case "png":
      image = image.png({ effort });
      break;
    case "webp":
      image = image.webp({ quality, effort });
      break;
    case "avif":
      image = image.avif({ quality, effort });
      break;
    case "gif":
      image = image.gif({ effort });
      break;
  }
  const info = await image.toFile(outputPath);
  return { width: info.width, height: info.pageHeight ?? info.height, format: info.format, size: info.size, pages: info.pages ?? 1 };
}
