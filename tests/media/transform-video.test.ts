// transformMedia kind "video", end to end on generated clips; outputs checked by ffprobe.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { probeFile } from "@/lib/media/probe";
import { transformMedia } from "@/lib/media/transform";
import { mediaFixture, type FixtureName } from "@/tests/helpers/media-fixtures";
import { audioStream, countedVideoSeconds, ffprobe, outDir, videoStream } from "./output-checks";

const files = {} as Record<FixtureName, string>;

beforeAll(async () => {
  for (const name of ["videoWithAudio", "videoNoAudio", "rotatedPhone", "oddSize", "tenBit"] as const) files[name] = await mediaFixture(name);
});

async function transcode(name: FixtureName, options: Record<string, unknown>, onProgress?: (fraction: number) => void) {
  const probe = await probeFile(files[name]);
  const dir = outDir("video");
  const result = await transformMedia({ kind: "video", inputPath: files[name], probe, options, outDir: dir, onProgress });
  const main = result.outputs.find((output) => output.role === "main");
  if (!main) throw new Error("no main output");
  return { result, main, probed: ffprobe(main.path), dir };
}

describe("transformMedia video", () => {
  it("transcodes to h264/aac mp4 with moov first, same size and length, progress to 1", async () => {
    const fractions: number[] = [];
    const { main, probed, result, dir } = await transcode("videoWithAudio", {}, (fraction) => fractions.push(fraction));
    expect(main).toMatchObject({ role: "main", mime: "video/mp4", path: path.join(dir, "video.mp4") });
    expect(main.size).toBeGreaterThan(0);
    expect(videoStream(probed)).toMatchObject({ codec_name: "h264", width: 640, height: 360, pix_fmt: "yuv420p" });
    expect(audioStream(probed)).toMatchObject({ codec_name: "aac", channels: 2 });
    expect(Math.abs(countedVideoSeconds(main.path, 30) - 3)).toBeLessThanOrEqual(1 / 30);
    const bytes = readFileSync(main.path);
    expect(bytes.indexOf("moov")).toBeLessThan(bytes.indexOf("mdat"));
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.some((fraction) => fraction > 0 && fraction < 1)).toBe(true);
    expect(result.plan.steps[0]?.tool).toBe("ffmpeg");
    // Only the output is left behind: the scratch folder is gone.
    expect(readdirSync(dir)).toEqual(["video.mp4"]);
  });

  it("turns a rotated phone clip upright at its display size", async () => {
    const { probed } = await transcode("rotatedPhone", { width: 120 });
    const stream = videoStream(probed);
    expect(stream).toMatchObject({ width: 120, height: 160 });
    expect(stream.side_data_list?.some((data) => data.rotation && data.rotation % 360 !== 0) ?? false).toBe(false);
  });

  it("evens out odd dimensions and converts 4:4:4 to 4:2:0", async () => {
    const { probed } = await transcode("oddSize", { quality: "very_low" });
    expect(videoStream(probed)).toMatchObject({ codec_name: "h264", width: 640, height: 358, pix_fmt: "yuv420p" });
  });

  it("converts 10-bit input to 8-bit h264", async () => {
    const { probed } = await transcode("tenBit", { width: 160 });
    expect(videoStream(probed)).toMatchObject({ codec_name: "h264", pix_fmt: "yuv420p", width: 160, height: 120 });
  });

  it("writes VP9 + Opus WebM trimmed to the requested range", async () => {
    const { probed, main } = await transcode("videoWithAudio", { format: "webm", start: 1, end: 2, width: 320, quality: "very_low" });
    expect(main.mime).toBe("video/webm");
    expect(probed.format.format_name).toContain("webm");
    expect(videoStream(probed)).toMatchObject({ codec_name: "vp9", width: 320, height: 180 });
    expect(audioStream(probed)).toMatchObject({ codec_name: "opus" });
    expect(Math.abs(countedVideoSeconds(main.path, 30) - 1)).toBeLessThanOrEqual(1 / 30);
  });

  it("writes h265 in mov tagged hvc1, muted", async () => {
    const { probed, main } = await transcode("videoWithAudio", { codec: "h265", format: "mov", mute: true, width: 320, end: 1 });
    expect(main.mime).toBe("video/quicktime");
    expect(videoStream(probed)).toMatchObject({ codec_name: "hevc", codec_tag_string: "hvc1", width: 320, height: 180 });
    expect(audioStream(probed)).toBeUndefined();
  });

  it("writes AV1 mp4 from a clip without audio, at a lower frame rate", async () => {
    const { probed, main } = await transcode("videoNoAudio", { codec: "av1", fps: 10, end: 1 });
    expect(videoStream(probed)).toMatchObject({ codec_name: "av1", width: 320, height: 240 });
    expect(audioStream(probed)).toBeUndefined();
    expect(Math.abs(countedVideoSeconds(main.path, 10) - 1)).toBeLessThanOrEqual(1 / 10);
  });

  it("rejects codec/container mismatches and bad options before running anything", async () => {
    const probe = await probeFile(files.videoNoAudio);
    const base = { kind: "video" as const, inputPath: files.videoNoAudio, probe, outDir: outDir("video-bad") };
    await expect(transformMedia({ ...base, options: { codec: "vp9", format: "mp4" } })).rejects.toMatchObject({ code: "format_unsupported" });
    await expect(transformMedia({ ...base, options: { width: "wide" } })).rejects.toMatchObject({
      code: "request_invalid",
      details: [expect.objectContaining({ field: "options.width" })],
    });
  });
});
