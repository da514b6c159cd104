// probeFile against real generated media: every field checked against ffprobe's own view or the known recipe.
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { probeFile } from "@/lib/media/probe";
import { mediaFixture, type FixtureName } from "@/tests/helpers/media-fixtures";

type RawStream = { codec_type: string; codec_name: string; width?: number; height?: number; channels?: number; sample_rate?: string };

/** ffprobe run directly, as an independent reference. */
function ffprobeJson(file: string): { streams: RawStream[]; format: { duration?: string } } {
  return JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "json", file], { encoding: "utf8" }));
}

const files = {} as Record<FixtureName, string>;
const NAMES: FixtureName[] = ["videoWithAudio", "videoNoAudio", "rotatedPhone", "oddSize", "tenBit", "audioOnly", "jpegOrientation6", "png", "transparentPng", "heic", "animatedGif"];

beforeAll(async () => {
  for (const name of NAMES) files[name] = await mediaFixture(name);
});

describe("probeFile on video", () => {
  it("reports a plain h264+aac mp4 as ffprobe sees it", async () => {
    const probe = await probeFile(files.videoWithAudio);
    const reference = ffprobeJson(files.videoWithAudio);
    const audio = reference.streams.find((stream) => stream.codec_type === "audio");
    expect(probe).toMatchObject({
      kind: "video",
      mime: "video/mp4",
      type: "video/mp4;codecs=avc1,mp4a",
      container: "mp4",
      width: 640,
      height: 360,
      rotation: 0,
      orientation: "landscape",
      fps: 30,
      frames: 90,
      has_video: true,
      has_audio: true,
      animated: false,
      streams: 2,
      codecs: {
        // x264's ultrafast preset (used to make the fixture) writes Constrained Baseline.
        video: { name: "h264", profile: "constrained baseline" },
        audio: { name: "aac", sample_rate: 48000, channels: 2 },
      },
    });
    expect(probe.codecs.video?.level).toMatch(/^\d\.\d$/);
    expect(probe.audio).toMatchObject({ codec: "aac", channels: audio?.channels, sample_rate: Number(audio?.sample_rate) });
    expect(probe.duration).toBeCloseTo(Number(reference.format.duration), 3);
    expect(probe.bitrate).toBeGreaterThan(0);
    expect(probe.filesize).toBeGreaterThan(1000);
    expect(probe.video).toMatchObject({ pix_fmt: "yuv420p", bit_depth: 8, coded_width: 640, coded_height: 360, variable_frame_rate: false });
  });

  it("reports no audio for a video-only file", async () => {
    const probe = await probeFile(files.videoNoAudio);
    expect(probe).toMatchObject({ kind: "video", has_audio: false, width: 320, height: 240, fps: 25, type: "video/mp4;codecs=avc1" });
    expect(probe.audio).toBeUndefined();
    expect(probe.codecs.audio).toBeUndefined();
    expect(probe.duration).toBeCloseTo(2, 1);
  });

  it("applies phone rotation metadata to width and height", async () => {
    const probe = await probeFile(files.rotatedPhone);
    const stored = ffprobeJson(files.rotatedPhone).streams.find((stream) => stream.codec_type === "video");
    expect(stored).toMatchObject({ width: 320, height: 240 });
    expect(probe).toMatchObject({ width: 240, height: 320, orientation: "portrait", has_audio: true });
    expect([90, 270]).toContain(probe.rotation);
    expect(probe.video).toMatchObject({ coded_width: 320, coded_height: 240 });
  });

  it("keeps odd dimensions as they are", async () => {
    const probe = await probeFile(files.oddSize);
    expect(probe).toMatchObject({ container: "mkv", mime: "video/x-matroska", width: 641, height: 359, fps: 24, has_audio: true });
    expect(probe.video?.pix_fmt).toBe("yuv444p");
  });

  it("reports 10-bit video with its bit depth and profile", async () => {
    const probe = await probeFile(files.tenBit);
    expect(probe.video).toMatchObject({ codec: "h264", pix_fmt: "yuv420p10le", bit_depth: 10, profile: "high 10" });
  });
});

describe("probeFile on audio", () => {
  it("reports an mp3 as audio with no dimensions", async () => {
    const probe = await probeFile(files.audioOnly);
    expect(probe).toMatchObject({
      kind: "audio",
      mime: "audio/mpeg",
      type: "audio/mpeg;codecs=mp3",
      container: "mp3",
      has_video: false,
      has_audio: true,
      codecs: { audio: { name: "mp3", sample_rate: 44100, channels: 2 } },
    });
    expect(probe.width).toBeUndefined();
    expect(probe.duration).toBeCloseTo(2, 1);
  });
});

describe("probeFile on images", () => {
  it("applies EXIF orientation 6 to a JPEG's dimensions", async () => {
    const probe = await probeFile(files.jpegOrientation6);
    expect(probe).toMatchObject({ kind: "image", mime: "image/jpeg", container: "jpeg", width: 480, height: 640, rotation: 90, orientation: "portrait", transparency: false, animated: false });
  });

  it("reports transparency for a PNG with alpha, and none for an opaque one", async () => {
    expect(await probeFile(files.transparentPng)).toMatchObject({ kind: "image", mime: "image/png", width: 200, height: 100, transparency: true });
    expect(await probeFile(files.png)).toMatchObject({ width: 320, height: 200, transparency: false });
  });

  it("reports an animated GIF with its frames and duration", async () => {
    const probe = await probeFile(files.animatedGif);
    expect(probe).toMatchObject({ kind: "image", mime: "image/gif", animated: true, frames: 10, width: 160, height: 120 });
    expect(probe.duration).toBeCloseTo(1, 1);
  });

  it("reads a HEIC through heif-info", async () => {
    const probe = await probeFile(files.heic);
    expect(probe).toMatchObject({ kind: "image", mime: "image/heic", container: "heic", width: 320, height: 240, transparency: false });
  });
});
