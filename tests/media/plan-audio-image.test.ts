// planAudio and planImage: exact ffmpeg arguments and sharp pipelines for named probe fixtures.
import { describe, expect, it } from "vitest";
import { ZAudioOptions, planAudio, type TAudioOptions } from "@/lib/media/plan/audio";
import { ZImageOptions, planImage, type TImageOptions } from "@/lib/media/plan/image";
import { audioBitrate, imageQuality } from "@/lib/media/plan/quality";
import type { TProbe } from "@/lib/media/probe";
import { namedProbes } from "./named-probes";
import { LIMITS, context, ffmpegArgs } from "./plan-helpers";

const STRIP = ["-map_metadata", "-1", "-map_chapters", "-1"];

function audioArgs(probe: TProbe, options: TAudioOptions = {}): string[] {
  return ffmpegArgs(planAudio(context(probe, ZAudioOptions.parse(options))).steps[0]);
}

describe("planAudio with named probes", () => {
  it("extracts a video's audio to mp3 by default", () => {
    expect(audioArgs(namedProbes.landscape1080p)).toEqual([
      "-i", "/in/source", "-map", "0:a:0", "-vn", "-sn", "-dn", "-c:a", "libmp3lame", "-b:a", "128k", ...STRIP, "-f", "mp3", "/out/audio.mp3",
    ]);
  });

  it("refuses a video with no audio track", () => {
    expect(() => planAudio(context(namedProbes.noAudio, {}))).toThrow(
      expect.objectContaining({ code: "invalid_input", message: "The input has no audio track." }),
    );
  });

  it("normalises loudness into Opus at 48 kHz stereo", () => {
    expect(audioArgs(namedProbes.surroundWav, { format: "opus", normalize: true })).toEqual([
      "-i", "/in/source", "-map", "0:a:0", "-vn", "-sn", "-dn",
      "-af", "loudnorm=I=-16:TP=-1.5:LRA=11",
      "-c:a", "libopus", "-b:a", "96k", "-ac", "2", "-ar", "48000",
      ...STRIP, "-f", "opus", "/out/audio.opus",
    ]);
  });

  it("trims, downmixes 5.1 and brings 96 kHz down to 48 kHz for MP3", () => {
    expect(audioArgs(namedProbes.surroundWav, { format: "mp3", quality: 50, start: 2, duration: 5 })).toEqual([
      "-ss", "2", "-i", "/in/source", "-map", "0:a:0", "-vn", "-sn", "-dn",
      "-c:a", "libmp3lame", "-b:a", "160k", "-ac", "2", "-ar", "48000",
      "-t", "5", ...STRIP, "-f", "mp3", "/out/audio.mp3",
    ]);
  });

  it("writes m4a with faststart, an explicit bitrate, and keeps lossless formats lossless", () => {
    expect(audioArgs(namedProbes.mp3, { format: "m4a", bitrate: 192_000 })).toEqual([
      "-i", "/in/source", "-map", "0:a:0", "-vn", "-sn", "-dn", "-c:a", "aac", "-b:a", "192k", ...STRIP, "-movflags", "+faststart", "-f", "ipod", "/out/audio.m4a",
    ]);
    expect(audioArgs(namedProbes.mp3, { format: "flac", quality: "very_high" })).toEqual([
      "-i", "/in/source", "-map", "0:a:0", "-vn", "-sn", "-dn", "-c:a", "flac", ...STRIP, "-f", "flac", "/out/audio.flac",
    ]);
    expect(audioArgs(namedProbes.surroundWav, { format: "wav", end: 10 })).toEqual([
      "-i", "/in/source", "-map", "0:a:0", "-vn", "-sn", "-dn", "-c:a", "pcm_s16le", "-t", "10", ...STRIP, "-f", "wav", "/out/audio.wav",
    ]);
  });

  it("maps quality to bitrates per codec", () => {
    expect(audioBitrate("mp3", "very_low")).toBe(64_000);
    expect(audioBitrate("aac", undefined)).toBe(128_000);
    expect(audioBitrate("opus", "very_high")).toBe(160_000);
    expect(audioBitrate("mp3", 100)).toBe(256_000);
    expect(ZAudioOptions.safeParse({ bitrate: 500_000 }).success).toBe(false);
    expect(ZAudioOptions.safeParse({ format: "wma" }).success).toBe(false);
  });
});

function imagePlan(probe: TProbe, options: TImageOptions = {}) {
  return planImage(context(probe, ZImageOptions.parse(options)));
}

const BASE_PIPELINE = { limitInputPixels: LIMITS.maxPixels, animated: false, maxPages: 1, autoOrient: true, keepMetadata: false } as const;

describe("planImage from images", () => {
  it("auto-orients a portrait JPEG and resizes it into WebP without enlarging", () => {
    expect(imagePlan(namedProbes.portraitJpeg, { width: 800, format: "webp" })).toEqual({
      steps: [
        {
          tool: "sharp",
          pipeline: {
            ...BASE_PIPELINE,
            output: { format: "webp", quality: 80, effort: 4 },
            resize: { width: 800, height: undefined, fit: "inside", position: "centre", background: "transparent", withoutEnlargement: true },
          },
          items: [{ input: "/in/source", output: "/out/image.webp" }],
        },
      ],
      outputs: [{ path: "/out/image.webp", role: "main", mime: "image/webp" }],
      collect: [],
      encoders: [],
    });
  });

  it("flattens a transparent PNG for JPEG and letterboxes it in black for contain", () => {
    const [step] = imagePlan(namedProbes.transparentPng, { width: 100, height: 100, fit: "contain", format: "jpg" }).steps;
    expect(step).toEqual({
      tool: "sharp",
      pipeline: {
        ...BASE_PIPELINE,
        output: { format: "jpeg", quality: 80 },
        resize: { width: 100, height: 100, fit: "contain", position: "centre", background: "#000000", withoutEnlargement: true },
        flatten: { background: "#ffffff" },
      },
      items: [{ input: "/in/source", output: "/out/image.jpg" }],
    });
  });

  it("keeps the input format by default, percentages relative to the display size, cover at a position", () => {
    const [step] = imagePlan(namedProbes.opaquePng, { width: "50%", height: "50%", fit: "cover", position: "bottom_right", upscale: true }).steps;
    expect(step).toMatchObject({
      pipeline: { output: { format: "png" }, resize: { width: 160, height: 100, fit: "cover", position: "right bottom", withoutEnlargement: false } },
      items: [{ output: "/out/image.png" }],
    });
  });

  it("converts HEIC through heif-convert before sharp", () => {
    expect(imagePlan(namedProbes.heic).steps).toEqual([
      { tool: "heif-convert", input: "/in/source", output: "/out/.work/heic-primary.jpg" },
      {
        tool: "sharp",
        pipeline: { ...BASE_PIPELINE, output: { format: "jpeg", quality: 80 } },
        items: [{ input: "/out/.work/heic-primary.jpg", output: "/out/image.jpg" }],
      },
    ]);
  });

  it("keeps an animation only when asked, capping frames within the pixel limit", () => {
    const huge = { ...namedProbes.animatedGif, width: 4000, height: 3000, frames: 500 };
    expect(imagePlan(huge, { animated: true }).steps[0]).toMatchObject({ pipeline: { animated: true, maxPages: 8 } });
    expect(imagePlan(namedProbes.animatedGif, { width: 240 }).steps[0]).toMatchObject({ pipeline: { animated: false, maxPages: 1 } });
    expect(imagePlan(namedProbes.animatedGif, { animated: true, format: "webp" }).steps[0]).toMatchObject({
      pipeline: { animated: true, maxPages: 40, output: { format: "webp" } },
    });
    expect(imagePlan(namedProbes.animatedGif, { animated: true, format: "jpeg" }).steps[0]).toMatchObject({ pipeline: { animated: false } });
  });

  it("maps quality for each encoder's scale", () => {
    expect(imageQuality("jpeg", "very_low")).toBe(40);
    expect(imageQuality("webp", "very_high")).toBe(92);
    expect(imageQuality("avif", "medium")).toBe(50);
    expect(imageQuality("jpeg", 65)).toBe(65);
    expect(imagePlan(namedProbes.opaquePng, { format: "avif", quality: "high" }).steps[0]).toMatchObject({
      pipeline: { output: { format: "avif", quality: 60, effort: 2 } },
    });
  });

  it("refuses interval on a still image and audio inputs", () => {
    expect(() => imagePlan(namedProbes.opaquePng, { interval: 5 })).toThrow(expect.objectContaining({ code: "invalid_input" }));
    expect(() => imagePlan(namedProbes.mp3)).toThrow(expect.objectContaining({ code: "invalid_input", message: expect.stringMatching(/image or video input/) }));
  });
});

describe("planImage from video", () => {
  it("grabs one frame with an accurate seek, then resizes and encodes with sharp", () => {
    expect(imagePlan(namedProbes.landscape1080p, { start: 2.5, width: 640, format: "webp" }).steps).toEqual([
      {
        tool: "ffmpeg",
        args: ["-ss", "2.5", "-i", "/in/source", "-map", "0:v:0", "-an", "-sn", "-dn", "-map_metadata", "-1", "-frames:v", "1", "-c:v", "png", "-f", "image2", "-update", "1", "/out/.work/frame.png"],
      },
      {
        tool: "sharp",
        pipeline: {
          ...BASE_PIPELINE,
          output: { format: "webp", quality: 80, effort: 4 },
          resize: { width: 640, height: undefined, fit: "inside", position: "centre", background: "transparent", withoutEnlargement: true },
        },
        items: [{ input: "/out/.work/frame.png", output: "/out/image.webp" }],
      },
    ]);
  });

  it("steps a start inside the last frame back onto it, and defaults to JPEG at 0 s", () => {
    expect(ffmpegArgs(imagePlan(namedProbes.landscape1080p, { start: 9.99 }).steps[0]).slice(0, 2)).toEqual(["-ss", "9.966"]);
    expect(ffmpegArgs(imagePlan(namedProbes.rotatedPhone).steps[0])[0]).toBe("-i");
    expect(imagePlan(namedProbes.rotatedPhone).outputs).toEqual([{ path: "/out/image.jpg", role: "main", mime: "image/jpeg" }]);
  });

  it("emits one frame every interval seconds as a capped series", () => {
    const plan = imagePlan(namedProbes.landscape1080p, { interval: 3 });
    expect(ffmpegArgs(plan.steps[0])).toEqual([
      "-i", "/in/source", "-map", "0:v:0", "-an", "-sn", "-dn", "-map_metadata", "-1",
      "-vf", "fps=1/3", "-frames:v", "4", "-c:v", "png", "-f", "image2", "-start_number", "0", "/out/.work/frame-%04d.png",
    ]);
    expect(plan.steps[1]).toMatchObject({
      items: [
        { input: "/out/.work/frame-0000.png", output: "/out/thumb-000.jpg" },
        { input: "/out/.work/frame-0001.png", output: "/out/thumb-001.jpg" },
        { input: "/out/.work/frame-0002.png", output: "/out/thumb-002.jpg" },
        { input: "/out/.work/frame-0003.png", output: "/out/thumb-003.jpg" },
      ],
    });
    expect(plan.collect).toEqual([{ dir: "/out", prefix: "thumb-", suffix: ".jpg", role: "frame", mime: "image/jpeg" }]);
    const long = { ...namedProbes.landscape1080p, duration: 4 * 3600 };
    expect(ffmpegArgs(imagePlan(long, { interval: 1 }).steps[0])).toEqual(expect.arrayContaining(["-frames:v", "1000"]));
  });
});
