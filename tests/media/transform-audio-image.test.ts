// transformMedia kinds "audio" and "image", end to end; outputs checked by ffprobe and sharp.
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { probeFile } from "@/lib/media/probe";
import { transformMedia, type TTransformInput } from "@/lib/media/transform";
import { mediaFixture, type FixtureName } from "@/tests/helpers/media-fixtures";
import { audioStream, ffprobe, outDir } from "./output-checks";

const files = {} as Record<FixtureName, string>;
const NAMES = ["videoWithAudio", "videoNoAudio", "audioOnly", "jpegOrientation6", "transparentPng", "heic", "animatedGif", "longGop", "rotatedPhone"] as const;

beforeAll(async () => {
  for (const name of NAMES) files[name] = await mediaFixture(name);
});

async function run(kind: TTransformInput["kind"], name: FixtureName, options: Record<string, unknown>) {
  const probe = await probeFile(files[name]);
  return transformMedia({ kind, inputPath: files[name], probe, options, outDir: outDir(kind) });
}

function mainPath(result: Awaited<ReturnType<typeof run>>): string {
  const main = result.outputs.find((output) => output.role === "main");
  if (!main) throw new Error("no main output");
  return main.path;
}

describe("transformMedia audio", () => {
  it("extracts a video's audio to mp3", async () => {
    const result = await run("audio", "videoWithAudio", {});
    expect(result.outputs).toEqual([expect.objectContaining({ role: "main", mime: "audio/mpeg" })]);
    const probed = ffprobe(mainPath(result));
    expect(probed.streams.map((stream) => stream.codec_type)).toEqual(["audio"]);
    expect(audioStream(probed)).toMatchObject({ codec_name: "mp3", channels: 2 });
    expect(Number(probed.format.duration)).toBeCloseTo(3, 1);
  });

  it("normalises loudness into 48 kHz Opus", async () => {
    const probed = ffprobe(mainPath(await run("audio", "audioOnly", { format: "opus", normalize: true })));
    expect(audioStream(probed)).toMatchObject({ codec_name: "opus", sample_rate: "48000" });
  });

  it.each([
    ["aac", "aac", "aac"],
    ["m4a", "aac", "mov,mp4,m4a,3gp,3g2,mj2"],
    ["ogg", "vorbis", "ogg"],
    ["wav", "pcm_s16le", "wav"],
    ["flac", "flac", "flac"],
  ])("writes %s", async (format, codec, container) => {
    const probed = ffprobe(mainPath(await run("audio", "audioOnly", { format, end: 1 })));
    expect(audioStream(probed)?.codec_name).toBe(codec);
    expect(probed.format.format_name).toBe(container);
    expect(Number(probed.format.duration)).toBeCloseTo(1, 1);
  });

  it("refuses a video without audio", async () => {
    await expect(run("audio", "videoNoAudio", {})).rejects.toMatchObject({ code: "invalid_input", message: "The input has no audio track." });
  });
});

describe("transformMedia image from images", () => {
  it("applies EXIF orientation, resizes, and strips metadata", async () => {
    const file = mainPath(await run("image", "jpegOrientation6", { width: 240, format: "webp" }));
    const meta = await sharp(file).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 240, height: 320 });
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
  });

  it("flattens a transparent PNG into JPEG", async () => {
    const file = mainPath(await run("image", "transparentPng", { format: "jpeg", quality: "high" }));
    const meta = await sharp(file).metadata();
    expect(meta).toMatchObject({ format: "jpeg", width: 200, height: 100, channels: 3, hasAlpha: false });
  });

  it("letterboxes into a transparent AVIF canvas with contain", async () => {
    const file = mainPath(await run("image", "transparentPng", { format: "avif", width: 100, height: 100, fit: "contain" }));
    expect(await sharp(file).metadata()).toMatchObject({ format: "heif", compression: "av1", width: 100, height: 100, hasAlpha: true });
  });

  it("converts HEIC via heif-convert", async () => {
    const file = mainPath(await run("image", "heic", { width: 160 }));
    expect(path.extname(file)).toBe(".jpg");
    expect(await sharp(file).metadata()).toMatchObject({ format: "jpeg", width: 160, height: 120 });
  });

  it("keeps an animated GIF animated only when asked", async () => {
    const animated = mainPath(await run("image", "animatedGif", { animated: true, format: "webp", width: 80 }));
    expect(await sharp(animated, { animated: true }).metadata()).toMatchObject({ format: "webp", pages: 10, width: 80, pageHeight: 60 });
    const still = mainPath(await run("image", "animatedGif", { format: "png" }));
    const stillMeta = await sharp(still).metadata();
    expect(stillMeta).toMatchObject({ format: "png", width: 160, height: 120 });
    expect(stillMeta.pages ?? 1).toBe(1);
  });
});

describe("transformMedia image from video", () => {
  it("grabs the frame at `start` accurately, not the keyframe before it", async () => {
    // The clip's luma is 16 + 20·t with one keyframe at 0 s: a keyframe-snapped grab would be black.
    const file = mainPath(await run("image", "longGop", { start: 7.5, format: "png" }));
    const stats = await sharp(file).stats();
    const expected = (20 * 7.5 * 255) / 219;
    const tolerance = (20 / 30) * (255 / 219) + 2;
    expect(Math.abs((stats.channels[0]?.mean ?? 0) - expected)).toBeLessThan(tolerance);
  });

  it("grabs a frame of a rotated clip upright and resized", async () => {
    const file = mainPath(await run("image", "rotatedPhone", { start: 1, width: 120, format: "webp" }));
    expect(await sharp(file).metadata()).toMatchObject({ format: "webp", width: 120, height: 160 });
  });

  it("emits one frame per interval", async () => {
    const result = await run("image", "videoWithAudio", { interval: 1, width: 160 });
    expect(result.outputs.map((output) => path.basename(output.path))).toEqual(["thumb-000.jpg", "thumb-001.jpg", "thumb-002.jpg"]);
    expect(result.outputs.every((output) => output.role === "frame" && output.mime === "image/jpeg")).toBe(true);
    for (const output of result.outputs) expect(await sharp(output.path).metadata()).toMatchObject({ format: "jpeg", width: 160, height: 90 });
  });
});
