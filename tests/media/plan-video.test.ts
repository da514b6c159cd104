// planVideo: exact ffmpeg arguments for named probe fixtures, and the option and compatibility rules.
import { describe, expect, it } from "vitest";
import { ZVideoOptions, planVideo, resolveFormatAndCodec, type TVideoOptions } from "@/lib/media/plan/video";
import { VIDEO_QUALITY, videoQuality } from "@/lib/media/plan/quality";
import { namedProbes } from "./named-probes";
import { AAC_128K, MP4_TAIL, X264_DEFAULT, context, ffmpegArgs } from "./plan-helpers";

function args(probe: (typeof namedProbes)[keyof typeof namedProbes], options: TVideoOptions = {}): string[] {
  return ffmpegArgs(planVideo(context(probe, ZVideoOptions.parse(options))).steps[0]);
}

describe("planVideo with named probes", () => {
  it("transcodes an ordinary 1080p upload to h264/aac mp4 with no resize", () => {
    expect(args(namedProbes.landscape1080p)).toEqual(["-i", "/in/source", "-map", "0:v:0", "-map", "0:a:0", ...X264_DEFAULT, ...AAC_128K, ...MP4_TAIL]);
  });

  it("sizes a rotated phone video from its display size (ffmpeg autorotates)", () => {
    expect(args(namedProbes.rotatedPhone, { width: 720 })).toEqual([
      "-i", "/in/source", "-map", "0:v:0", "-map", "0:a:0",
      "-vf", "scale=720:1280,setsar=1",
      ...X264_DEFAULT, ...AAC_128K, ...MP4_TAIL,
    ]);
  });

  it("drops audio cleanly when the input has none", () => {
    expect(args(namedProbes.noAudio)).toEqual(["-i", "/in/source", "-map", "0:v:0", ...X264_DEFAULT, "-an", ...MP4_TAIL]);
  });

  it("rounds odd dimensions down to even ones for 4:2:0", () => {
    expect(args(namedProbes.oddDimensions)).toEqual([
      "-i", "/in/source", "-map", "0:v:0", "-map", "0:a:0",
      "-vf", "scale=640:358,setsar=1",
      ...X264_DEFAULT, ...AAC_128K, ...MP4_TAIL,
    ]);
  });

  it("converts 10-bit HDR to 8-bit 4:2:0 for h264, with a bitrate cap", () => {
    expect(args(namedProbes.hdr10Bit, { height: 720, bitrate: 3_000_000 })).toEqual([
      "-i", "/in/source", "-map", "0:v:0", "-map", "0:a:0",
      "-vf", "scale=1280:720,setsar=1",
      "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-maxrate", "3000000", "-bufsize", "6000000", "-pix_fmt", "yuv420p",
      ...AAC_128K, ...MP4_TAIL,
    ]);
  });

  it("keeps 10-bit for h265 and tags it hvc1", () => {
    expect(args(namedProbes.hdr10Bit, { codec: "h265", width: "50%" })).toEqual([
      "-i", "/in/source", "-map", "0:v:0", "-map", "0:a:0",
      "-vf", "scale=1920:1080,setsar=1",
      "-c:v", "libx265", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p10le", "-tag:v", "hvc1", "-x265-params", "log-level=error",
      ...AAC_128K, ...MP4_TAIL,
    ]);
  });

  it("trims with -ss before -i and -t after, lowers fps and mutes a variable-frame-rate clip into AV1", () => {
    expect(args(namedProbes.variableFrameRate, { codec: "av1", fps: 24, start: 1, end: 4, mute: true })).toEqual([
      "-ss", "1", "-i", "/in/source", "-map", "0:v:0",
      "-vf", "fps=24",
      "-c:v", "libsvtav1", "-preset", "10", "-crf", "35", "-pix_fmt", "yuv420p",
      "-an", "-t", "3", ...MP4_TAIL,
    ]);
  });

  it("writes VP9 + Opus WebM without faststart", () => {
    expect(args(namedProbes.landscape1080p, { format: "webm", quality: "high", start: 2, duration: 5 })).toEqual([
      "-ss", "2", "-i", "/in/source", "-map", "0:v:0", "-map", "0:a:0",
      "-c:v", "libvpx-vp9", "-crf", "30", "-b:v", "0", "-deadline", "good", "-cpu-used", "3", "-row-mt", "1", "-pix_fmt", "yuv420p",
      "-c:a", "libopus", "-b:a", "128k",
      "-t", "5", "-map_metadata", "-1", "-map_chapters", "-1", "-f", "webm", "/out/video.webm",
    ]);
  });

  it("downmixes surround audio for Opus", () => {
    const list = args(namedProbes.hdr10Bit, { format: "webm" });
    expect(list.slice(list.indexOf("-c:a"), list.indexOf("-c:a") + 6)).toEqual(["-c:a", "libopus", "-b:a", "96k", "-ac", "2"]);
  });

  it("crops for cover at a position, pads for contain with the background", () => {
    expect(args(namedProbes.landscape1080p, { width: 720, height: 720, fit: "cover", position: "left" })).toContain("scale=1280:720,crop=720:720:0:0,setsar=1");
    expect(args(namedProbes.rotatedPhone, { width: 1280, height: 720, fit: "contain", background: "#ff0000" })).toContain(
      "scale=406:720,pad=1280:720:436:0:color=0xFF0000,setsar=1",
    );
    expect(args(namedProbes.tiny, { width: 640, height: 480 })).toContain("scale=320:240,pad=640:480:160:120:color=0x000000,setsar=1");
  });

  it("never upscales unless asked", () => {
    expect(args(namedProbes.tiny, { width: 1280 })).not.toContain("-vf");
    expect(args(namedProbes.tiny, { width: 640, height: 640, fit: "fill" })).toContain("scale=240:240,setsar=1");
    expect(args(namedProbes.tiny, { width: 640, height: 640, fit: "fill", upscale: true })).toContain("scale=640:640,setsar=1");
    expect(args(namedProbes.tiny, { width: 640, upscale: true })).toContain("scale=640:480,setsar=1");
  });

  it("caps frames when asked", () => {
    expect(args(namedProbes.tiny, { frames: 10 })).toEqual(expect.arrayContaining(["-frames:v", "10"]));
  });

  it("lists the encoders it needs", () => {
    expect(planVideo(context(namedProbes.landscape1080p, { codec: "av1" })).encoders).toEqual(["libsvtav1", "aac"]);
    expect(planVideo(context(namedProbes.noAudio, { format: "webm" })).encoders).toEqual(["libvpx-vp9"]);
  });
});

describe("video options and rules", () => {
  it("pairs codecs and containers per tasks.md §5.1", () => {
    expect(resolveFormatAndCodec({})).toEqual({ format: "mp4", codec: "h264" });
    expect(resolveFormatAndCodec({ format: "webm" })).toEqual({ format: "webm", codec: "vp9" });
    expect(resolveFormatAndCodec({ codec: "vp9" })).toEqual({ format: "webm", codec: "vp9" });
    expect(resolveFormatAndCodec({ codec: "av1", format: "webm" })).toEqual({ format: "webm", codec: "av1" });
    expect(resolveFormatAndCodec({ codec: "h265", format: "mov" })).toEqual({ format: "mov", codec: "h265" });
    for (const [codec, format] of [["vp9", "mp4"], ["h264", "webm"], ["h265", "webm"], ["av1", "mov"]] as const) {
      expect(() => resolveFormatAndCodec({ codec, format })).toThrow(expect.objectContaining({ code: "format_unsupported" }));
    }
  });

  it("refuses audio-only inputs, a start past the end, and oversize outputs", () => {
    expect(() => planVideo(context(namedProbes.mp3, {}))).toThrow(expect.objectContaining({ code: "invalid_input", message: expect.stringMatching(/needs a video input/) }));
    expect(() => planVideo(context(namedProbes.tiny, { start: 3 }))).toThrow(expect.objectContaining({ code: "invalid_input", message: expect.stringMatching(/past the end/) }));
    expect(() => planVideo(context(namedProbes.tiny, { width: 16384, height: 16384, fit: "contain" }))).toThrow(
      expect.objectContaining({ code: "invalid_input", message: expect.stringMatching(/over this server's limits/) }),
    );
  });

  it("accepts the spec's forms and rejects others", () => {
    expect(ZVideoOptions.parse({ width: "50%", quality: 70, fit: "cover", position: "top_left", background: "#fff", start: 1.5, end: 3 })).toBeTruthy();
    expect(ZVideoOptions.safeParse({ quality: "ultra" }).success).toBe(false);
    expect(ZVideoOptions.safeParse({ width: "50px" }).success).toBe(false);
    expect(ZVideoOptions.safeParse({ width: "0%" }).success).toBe(false);
    expect(ZVideoOptions.safeParse({ width: "0.5%" }).success).toBe(true);
    expect(ZVideoOptions.safeParse({ bitrate: 1000 }).success).toBe(false);
    expect(ZVideoOptions.safeParse({ start: 5, end: 2 }).success).toBe(false);
    expect(ZVideoOptions.safeParse({ end: 2, duration: 1 }).success).toBe(false);
    expect(ZVideoOptions.safeParse({ layers: [] }).success).toBe(false);
    expect(ZVideoOptions.safeParse({ background: "red" }).success).toBe(false);
  });

  it("maps quality presets and 0–100 onto CRF", () => {
    expect(VIDEO_QUALITY.h264).toMatchObject({ very_low: { crf: 32 }, medium: { crf: 23 }, very_high: { crf: 18 } });
    expect(videoQuality("h264", undefined)).toEqual({ crf: 23, preset: "veryfast" });
    expect(videoQuality("h264", 0)).toEqual({ crf: 32, preset: "veryfast" });
    expect(videoQuality("h264", 100)).toEqual({ crf: 18, preset: "medium" });
    expect(videoQuality("h264", 50)).toEqual({ crf: 25, preset: "veryfast" });
    expect(videoQuality("vp9", "very_high")).toEqual({ crf: 24, preset: "2" });
  });
});
