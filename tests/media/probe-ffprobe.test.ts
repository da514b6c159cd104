// probeFromFfprobe on hand-written ffprobe outputs: the edge cases real uploads bring.
import { describe, expect, it } from "vitest";
import type { TFfprobeOutput } from "@/lib/media/ffmpeg";
import { formatLevel, parseRate, probeFromFfprobe, rotationOf } from "@/lib/media/probe-ffprobe";

const mov = { format_name: "mov,mp4,m4a,3gp,3g2,mj2", duration: "12.500000", bit_rate: "9000000", nb_streams: 2 };

describe("probeFromFfprobe", () => {
  it("reads an iPhone portrait clip: display matrix -90° → rotation 90, display size swapped, VFR flagged", () => {
    const output: TFfprobeOutput = {
      streams: [
        {
          index: 0,
          codec_type: "video",
          codec_name: "hevc",
          profile: "Main 10",
          level: 150,
          width: 1920,
          height: 1080,
          pix_fmt: "yuv420p10le",
          avg_frame_rate: "8400/281",
          r_frame_rate: "30/1",
          nb_frames: "374",
          side_data_list: [{ side_data_type: "Display Matrix", rotation: -90 }],
        },
        { index: 1, codec_type: "audio", codec_name: "aac", channels: 2, sample_rate: "44100", bit_rate: "160000" },
      ],
      format: { ...mov, tags: { major_brand: "qt  " } },
    };
    expect(probeFromFfprobe(output, { filesize: 14_000_000 })).toMatchObject({
      kind: "video",
      container: "mov",
      mime: "video/quicktime",
      type: "video/quicktime;codecs=hvc1,mp4a",
      width: 1080,
      height: 1920,
      rotation: 90,
      orientation: "portrait",
      duration: 12.5,
      fps: 29.893,
      frames: 374,
      bitrate: 9_000_000,
      video: { codec: "hevc", profile: "main 10", level: "5.0", bit_depth: 10, variable_frame_rate: true },
      codecs: { video: { name: "hevc", profile: "main 10", level: "5.0" }, audio: { name: "aac", sample_rate: 44100, channels: 2, bitrate: 160000 } },
    });
  });

  it("applies a non-square sample aspect ratio to the display width", () => {
    const output: TFfprobeOutput = {
      streams: [{ index: 0, codec_type: "video", codec_name: "mpeg2video", width: 720, height: 576, sample_aspect_ratio: "16:15", avg_frame_rate: "25/1" }],
      format: { format_name: "mpeg", duration: "5.0" },
    };
    expect(probeFromFfprobe(output, { filesize: 1 })).toMatchObject({ width: 768, height: 576, container: "mpeg", has_audio: false });
  });

  it("treats cover art in an MP3 as audio, not video", () => {
    const output: TFfprobeOutput = {
      streams: [
        { index: 0, codec_type: "audio", codec_name: "mp3", channels: 2, sample_rate: "44100" },
        { index: 1, codec_type: "video", codec_name: "mjpeg", width: 500, height: 500, disposition: { attached_pic: 1 } },
      ],
      format: { format_name: "mp3", duration: "200.1" },
    };
    expect(probeFromFfprobe(output, { filesize: 1 })).toMatchObject({ kind: "audio", has_video: false, mime: "audio/mpeg", streams: 2 });
  });

  it("names WebM by its codecs and sniffed doctype", () => {
    const output: TFfprobeOutput = {
      streams: [
        { index: 0, codec_type: "video", codec_name: "vp9", width: 640, height: 360, avg_frame_rate: "30/1" },
        { index: 1, codec_type: "audio", codec_name: "opus", channels: 2, sample_rate: "48000" },
      ],
      format: { format_name: "matroska,webm", duration: "3" },
    };
    expect(probeFromFfprobe(output, { filesize: 1 })).toMatchObject({ container: "webm", type: "video/webm;codecs=vp09,opus" });
    expect(probeFromFfprobe({ ...output, streams: output.streams.slice(1) }, { filesize: 1 })).toMatchObject({ kind: "audio", mime: "audio/webm" });
  });

  it("refuses files with no decodable stream", () => {
    expect(() => probeFromFfprobe({ streams: [{ index: 0, codec_type: "data" }], format: mov }, { filesize: 1 })).toThrow(
      expect.objectContaining({ code: "invalid_input", message: expect.stringMatching(/no decodable video or audio stream/) }),
    );
  });

  it("parses rates, rotations and levels", () => {
    expect(parseRate("30000/1001")).toBe(29.97);
    expect(parseRate("0/0")).toBeUndefined();
    expect(rotationOf({ index: 0, side_data_list: [{ side_data_type: "Display Matrix", rotation: 90 }] })).toBe(270);
    expect(rotationOf({ index: 0, side_data_list: [{ side_data_type: "Display Matrix", rotation: -180 }] })).toBe(180);
    expect(rotationOf({ index: 0, tags: { rotate: "90" } })).toBe(90);
    expect(formatLevel("h264", 31)).toBe("3.1");
    expect(formatLevel("hevc", 93)).toBe("3.1");
    expect(formatLevel("av1", 8)).toBe("4.0");
    expect(formatLevel("vp9", -99)).toBeUndefined();
  });
});
