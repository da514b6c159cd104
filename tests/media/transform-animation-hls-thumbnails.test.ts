// transformMedia kinds "animation", "adaptive_video" and "thumbnails", end to end on generated clips.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { probeFile } from "@/lib/media/probe";
import { transformMedia, type TTransformInput } from "@/lib/media/transform";
import { mediaFixture, type FixtureName } from "@/tests/helpers/media-fixtures";
import { audioStream, ffprobe, outDir, videoStream } from "./output-checks";

const files = {} as Record<FixtureName, string>;

beforeAll(async () => {
  for (const name of ["videoWithAudio", "rotatedPhone", "video480", "videoNoAudio", "animatedGif"] as const) files[name] = await mediaFixture(name);
});

async function run(kind: TTransformInput["kind"], name: FixtureName, options: Record<string, unknown>) {
  const probe = await probeFile(files[name]);
  const dir = outDir(kind);
  return { dir, result: await transformMedia({ kind, inputPath: files[name], probe, options, outDir: dir }) };
}

describe("transformMedia animation", () => {
  it("makes a looping GIF of the requested range, size and rate", async () => {
    const { result } = await run("animation", "videoWithAudio", { width: 160, start: 0.5, end: 1.5 });
    const [main] = result.outputs;
    expect(main).toMatchObject({ role: "main", mime: "image/gif" });
    const meta = await sharp(main?.path ?? "", { animated: true }).metadata();
    expect(meta).toMatchObject({ format: "gif", width: 160, pageHeight: 90, loop: 0 });
    expect(meta.pages).toBeGreaterThanOrEqual(9);
    expect(meta.pages).toBeLessThanOrEqual(11);
  });

  it("makes an animated WebP from a rotated phone clip, upright", async () => {
    const { result } = await run("animation", "rotatedPhone", { format: "webp", fps: 5, width: 120 });
    const meta = await sharp(result.outputs[0]?.path ?? "", { animated: true }).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 120, pageHeight: 160, loop: 0 });
    expect(meta.pages).toBeGreaterThanOrEqual(9);
    expect(meta.pages).toBeLessThanOrEqual(11);
  });

  it("re-times an animated GIF input", async () => {
    const { result } = await run("animation", "animatedGif", { fps: 5 });
    const meta = await sharp(result.outputs[0]?.path ?? "", { animated: true }).metadata();
    expect(meta).toMatchObject({ format: "gif", width: 160, pageHeight: 120 });
    expect(meta.pages).toBeGreaterThanOrEqual(4);
    expect(meta.pages).toBeLessThanOrEqual(6);
  });
});

/** Attribute lists and URIs of an HLS playlist's `#EXT-X-STREAM-INF` or `#EXTINF` entries. */
function entries(text: string, tag: string): { attributes: string; uri: string }[] {
  const lines = text.split("\n").map((line) => line.trim());
  return lines.flatMap((line, index) => (line.startsWith(tag) ? [{ attributes: line.slice(tag.length), uri: lines[index + 1] ?? "" }] : []));
}

describe("transformMedia adaptive_video", () => {
  it("packages an HLS ladder with relative URIs, aligned segments and audio in every rendition", async () => {
    const { dir, result } = await run("adaptive_video", "video480", {});
    const master = result.outputs.find((output) => output.role === "main");
    expect(master).toMatchObject({ path: path.join(dir, "master.m3u8"), mime: "application/vnd.apple.mpegurl" });
    const masterText = readFileSync(master?.path ?? "", "utf8");
    const variants = entries(masterText, "#EXT-X-STREAM-INF:");
    expect(variants.map((variant) => variant.uri)).toEqual(["480p.m3u8", "360p.m3u8"]);
    expect(variants[0]?.attributes).toMatch(/BANDWIDTH=\d+/);
    expect(variants[0]?.attributes).toContain("RESOLUTION=854x480");
    expect(variants[1]?.attributes).toContain("RESOLUTION=640x360");

    const durations: string[][] = [];
    for (const variant of variants) {
      expect(variant.uri).not.toMatch(/^(\/|[a-z]+:)/i);
      const playlist = path.join(dir, variant.uri);
      expect(existsSync(playlist)).toBe(true);
      const segments = entries(readFileSync(playlist, "utf8"), "#EXTINF:");
      expect(segments.length).toBeGreaterThan(0);
      durations.push(segments.map((segment) => segment.attributes));
      for (const segment of segments) {
        expect(segment.uri).toMatch(/^[\w-]+\.ts$/);
        expect(existsSync(path.join(dir, segment.uri))).toBe(true);
      }
      const first = ffprobe(path.join(dir, segments[0]?.uri ?? ""));
      expect(videoStream(first)).toMatchObject({ codec_name: "h264", height: variant.uri.startsWith("480p") ? 480 : 360 });
      expect(audioStream(first)).toMatchObject({ codec_name: "aac" });
    }
    // Keyframes every 2 s at a constant rate: both renditions cut the same 6 s + 2 s segments.
    expect(durations[0]).toEqual(durations[1]);
    expect(durations[0]?.map((duration) => Math.round(parseFloat(duration)))).toEqual([6, 2]);
    expect(result.outputs.filter((output) => output.role === "playlist").map((output) => path.basename(output.path))).toEqual(["480p.m3u8", "360p.m3u8"]);
    expect(result.outputs.filter((output) => output.role === "segment")).toHaveLength(4);
  });

  it("makes a single rendition for a small input without audio", async () => {
    const { dir, result } = await run("adaptive_video", "videoNoAudio", {});
    const masterText = readFileSync(path.join(dir, "master.m3u8"), "utf8");
    expect(entries(masterText, "#EXT-X-STREAM-INF:").map((variant) => variant.uri)).toEqual(["240p.m3u8"]);
    const segment = result.outputs.find((output) => output.role === "segment");
    const probed = ffprobe(segment?.path ?? "");
    expect(videoStream(probed)).toMatchObject({ width: 320, height: 240 });
    expect(audioStream(probed)).toBeUndefined();
  });
});

describe("transformMedia thumbnails", () => {
  it("writes a sprite, a VTT pointing into it, and one JPEG per tile", async () => {
    const { dir, result } = await run("thumbnails", "videoWithAudio", { count: 3, format: "jpg" });
    expect(result.outputs.map((output) => `${path.basename(output.path)}:${output.role}`)).toEqual([
      "sprite.jpg:sprite",
      "thumbnails.vtt:vtt",
      "thumb-000.jpg:frame",
      "thumb-001.jpg:frame",
      "thumb-002.jpg:frame",
    ]);
    expect(await sharp(path.join(dir, "sprite.jpg")).metadata()).toMatchObject({ format: "jpeg", width: 480, height: 90 });
    const vtt = readFileSync(path.join(dir, "thumbnails.vtt"), "utf8");
    expect(vtt.startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nsprite.jpg#xywh=0,0,160,90")).toBe(true);
    expect(vtt).toContain("00:00:02.000 --> 00:00:03.000\nsprite.jpg#xywh=320,0,160,90");
    for (const name of ["thumb-000.jpg", "thumb-002.jpg"]) {
      expect(await sharp(path.join(dir, name)).metadata()).toMatchObject({ format: "jpeg", width: 160, height: 90 });
    }
    // Tiles differ: testsrc2 moves, so the first and last tiles are not the same picture.
    const [first, last] = await Promise.all(["thumb-000.jpg", "thumb-002.jpg"].map((name) => sharp(path.join(dir, name)).raw().toBuffer()));
    expect(first?.equals(last ?? Buffer.alloc(0))).toBe(false);
  });
});
