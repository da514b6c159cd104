// HEIC/HEIF through libheif's command-line tools, because sharp's prebuilt libvips reads the header but cannot decode HEVC.
import { rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { settleProcess } from "./ffmpeg";
import { runProcess } from "./run-process";

const HEIF_INFO_TIMEOUT_MS = 30_000;
const HEIF_CONVERT_TIMEOUT_MS = 120_000;

export type THeifImage = { width: number; height: number; hasAlpha: boolean; isPrimary: boolean };
export type THeifInfo = { mime: string; images: THeifImage[]; primary: THeifImage; primaryIndex: number };

/** Parses `heif-info` output: a `MIME type:` line, then one `image: WxH (id=N)[, primary]` block per top-level image. */
export function parseHeifInfo(text: string): THeifInfo | undefined {
  const mime = /^MIME type:\s*(\S+)/m.exec(text)?.[1] ?? "image/heif";
  const images: THeifImage[] = [];
  for (const block of text.split(/^(?=image: )/m).slice(1)) {
    const header = /^image: (\d+)x(\d+) \(id=\d+\)(, primary)?/.exec(block);
    if (!header) continue;
    images.push({
      width: Number(header[1]),
      height: Number(header[2]),
      isPrimary: header[3] !== undefined,
      hasAlpha: /alpha channel:\s*yes/.test(block),
    });
  }
  const primaryIndex = Math.max(0, images.findIndex((image) => image.isPrimary));
  const primary = images[primaryIndex];
  return primary ? { mime, images, primary, primaryIndex } : undefined;
}

/** Facts about a HEIC/HEIF file from its boxes alone; no pixels are decoded. */
export async function readHeifInfo(inputPath: string, options: { signal?: AbortSignal } = {}): Promise<THeifInfo | undefined> {
  const { end, stdout } = await runProcess("heif-info", [inputPath], {
    signal: options.signal,
    timeoutMs: HEIF_INFO_TIMEOUT_MS,
    captureStdout: true,
    maxStdoutBytes: 1024 * 1024,
  });
  settleProcess("heif-info", end, options.signal);
  return parseHeifInfo(stdout);
}

/**
 * Decodes the primary image of a HEIC/HEIF file to a JPEG at `outputPath` (quality 95: it is an intermediate).
 * heif-convert writes `name-1.jpg`, `name-2.jpg`… when a file holds several images; the primary one is kept.
 */
export async function convertHeicToJpeg(
  inputPath: string,
  outputPath: string,
  options: { signal?: AbortSignal; primaryIndex?: number; imageCount?: number } = {},
): Promise<void> {
  const { end } = await runProcess("heif-convert", ["-q", "95", inputPath, outputPath], {
    signal: options.signal,
    timeoutMs: HEIF_CONVERT_TIMEOUT_MS,
  });
  settleProcess("heif-convert", end, options.signal);
  if (await exists(outputPath)) return;
  const extension = path.extname(outputPath);
  const stem = outputPath.slice(0, outputPath.length - extension.length);
  const numbered = (n: number) => `${stem}-${n}${extension}`;
  const wanted = numbered((options.primaryIndex ?? 0) + 1);
  if (!(await exists(wanted))) throw new Error(`heif-convert wrote no ${path.basename(outputPath)}`);
  await rename(wanted, outputPath);
  for (let n = 1; n <= (options.imageCount ?? 0); n++) await rm(numbered(n), { force: true });
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
