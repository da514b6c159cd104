// Cancelling a transform kills its ffmpeg; the kinds registry describes options, formats and availability.
import { existsSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MEDIA_KINDS, describeMediaKinds, parseMediaOptions } from "@/lib/media/kinds";
import { probeFile } from "@/lib/media/probe";
import { transformMedia } from "@/lib/media/transform";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { processesMentioning } from "@/tests/helpers/processes";
import { outDir } from "./output-checks";

describe("cancelling transformMedia", () => {
  it("kills ffmpeg mid-transcode, rejects with an AbortError and removes its scratch folder", async () => {
    const input = await mediaFixture("video480");
    const probe = await probeFile(input);
    const dir = outDir("cancel");
    const controller = new AbortController();
    let runningWhenAborted: number[] = [];
    const transform = transformMedia({
      kind: "video",
      inputPath: input,
      probe,
      options: { codec: "h265", quality: "very_high" },
      outDir: dir,
      signal: controller.signal,
      onProgress: (fraction) => {
        if (fraction > 0 && fraction < 1 && !controller.signal.aborted) {
          runningWhenAborted = processesMentioning(dir);
          controller.abort();
        }
      },
    });
    await expect(transform).rejects.toMatchObject({ name: "AbortError" });
    expect(runningWhenAborted.length).toBeGreaterThan(0);
    expect(processesMentioning(dir)).toEqual([]);
    expect(readdirSync(dir).filter((name) => name.startsWith(".work-"))).toEqual([]);
  });

  it("does nothing when already aborted", async () => {
    const input = await mediaFixture("videoNoAudio");
    const dir = outDir("cancel-early");
    await expect(
      transformMedia({ kind: "video", inputPath: input, probe: await probeFile(input), options: {}, outDir: dir, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(existsSync(dir)).toBe(false);
  });
});

describe("MEDIA_KINDS", () => {
  it("covers every media kind with a schema", () => {
    expect(Object.keys(MEDIA_KINDS)).toEqual(["video", "audio", "image", "animation", "adaptive_video", "thumbnails", "probe"]);
    expect(parseMediaOptions("probe", {})).toEqual({});
    expect(() => parseMediaOptions("probe", { width: 10 })).toThrow(expect.objectContaining({ code: "request_invalid" }));
  });

  it("describes options as JSON Schema and availability from the installed ffmpeg", async () => {
    const kinds = await describeMediaKinds();
    expect(kinds.video).toMatchObject({
      available: true,
      inputs: ["video"],
      formats: { mp4: { available: true }, webm: { available: true }, mov: { available: true } },
      codecs: { h264: { available: true }, h265: { available: true }, vp9: { available: true }, av1: { available: true } },
    });
    expect(kinds.audio.formats).toMatchObject({ mp3: { available: true }, opus: { available: true }, flac: { available: true } });
    expect(kinds.adaptive_video).toMatchObject({ available: true, formats: { hls: { available: true } } });
    const videoOptions = kinds.video.options as { properties: Record<string, { enum?: string[] }> };
    expect(videoOptions.properties.codec?.enum).toEqual(["h264", "h265", "vp9", "av1"]);
    expect(Object.keys(videoOptions.properties)).toEqual(expect.arrayContaining(["width", "height", "fit", "quality", "start", "end", "mute"]));
  });
});
