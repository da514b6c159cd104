// planAnimation, planAdaptiveVideo and planThumbnails: exact arguments for named probe fixtures.
import { describe, expect, it } from "vitest";
import { ZAdaptiveVideoOptions, chooseRenditions, planAdaptiveVideo } from "@/lib/media/plan/adaptive-video";
import { ZAnimationOptions, planAnimation } from "@/lib/media/plan/animation";
import { ZThumbnailsOptions, planThumbnails, vttTime } from "@/lib/media/plan/thumbnails";
import { namedProbes } from "./named-probes";
import { context, ffmpegArgs } from "./plan-helpers";

const STRIP = ["-map_metadata", "-1", "-map_chapters", "-1"];

describe("planAnimation", () => {
  it("makes a GIF with one palettegen/paletteuse graph, bounded input reading and a loop", () => {
    expect(ffmpegArgs(planAnimation(context(namedProbes.landscape1080p, ZAnimationOptions.parse({ width: 480, start: 1, end: 3 }))).steps[0])).toEqual([
      "-ss", "1", "-t", "2", "-i", "/in/source", "-an", "-sn", "-dn", ...STRIP,
      "-filter_complex",
      "[0:v]fps=10,scale=480:270:flags=lanczos,setsar=1,split[a][b];[a]palettegen=max_colors=128:stats_mode=diff[p];[b][p]paletteuse=dither=sierra2_4a:diff_mode=rectangle[out]",
      "-map", "[out]", "-loop", "0", "-f", "gif", "/out/animation.gif",
    ]);
  });

  it("makes an animated WebP from a rotated phone clip, capped at 60 s when open-ended", () => {
    const phone = { ...namedProbes.rotatedPhone, duration: 95 };
    expect(ffmpegArgs(planAnimation(context(phone, ZAnimationOptions.parse({ format: "webp", fps: 15, quality: "high", width: 360 }))).steps[0])).toEqual([
      "-t", "60", "-i", "/in/source", "-an", "-sn", "-dn", ...STRIP,
      "-map", "0:v:0", "-vf", "fps=15,scale=360:640:flags=lanczos,setsar=1",
      "-c:v", "libwebp_anim", "-lossless", "0", "-quality", "82", "-loop", "0", "-f", "webp", "/out/animation.webp",
    ]);
  });

  it("takes an animated GIF as input and refuses stills, audio, and too many frames", () => {
    expect(planAnimation(context(namedProbes.animatedGif, {})).encoders).toEqual(["gif"]);
    expect(() => planAnimation(context(namedProbes.opaquePng, {}))).toThrow(expect.objectContaining({ code: "invalid_input" }));
    expect(() => planAnimation(context(namedProbes.mp3, {}))).toThrow(expect.objectContaining({ code: "invalid_input" }));
    const long = { ...namedProbes.landscape1080p, duration: 120 };
    expect(() => planAnimation(context(long, { fps: 30, duration: 60 }))).toThrow(
      expect.objectContaining({ code: "invalid_input", message: expect.stringMatching(/1800 frames; at most 1000/) }),
    );
  });
});

describe("planAdaptiveVideo", () => {
  it("builds the full ladder for 1080p in one run with aligned keyframes and relative names", () => {
    const plan = planAdaptiveVideo(context(namedProbes.landscape1080p, ZAdaptiveVideoOptions.parse({})));
    expect(ffmpegArgs(plan.steps[0])).toEqual([
      "-i", "/in/source",
      "-filter_complex",
      "[0:v]fps=30,split=4[s0][s1][s2][s3];[s0]null[v0];[s1]scale=1280:720,setsar=1[v1];[s2]scale=854:480,setsar=1[v2];[s3]scale=640:360,setsar=1[v3]",
      "-map", "[v0]", "-map", "0:a:0", "-map", "[v1]", "-map", "0:a:0", "-map", "[v2]", "-map", "0:a:0", "-map", "[v3]", "-map", "0:a:0",
      "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
      "-b:v:0", "5000000", "-maxrate:v:0", "5350000", "-bufsize:v:0", "7500000",
      "-b:v:1", "2800000", "-maxrate:v:1", "2996000", "-bufsize:v:1", "4200000",
      "-b:v:2", "1400000", "-maxrate:v:2", "1498000", "-bufsize:v:2", "2100000",
      "-b:v:3", "800000", "-maxrate:v:3", "856000", "-bufsize:v:3", "1200000",
      "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
      "-c:a", "aac", "-b:a", "128k", "-ac", "2",
      ...STRIP,
      "-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod", "-hls_list_size", "0", "-hls_segment_type", "mpegts",
      "-hls_flags", "independent_segments", "-hls_segment_filename", "/out/%v_%03d.ts", "-master_pl_name", "master.m3u8",
      "-var_stream_map", "v:0,a:0,name:1080p v:1,a:1,name:720p v:2,a:2,name:480p v:3,a:3,name:360p",
      "/out/%v.m3u8",
    ]);
    expect(plan.outputs).toEqual([{ path: "/out/master.m3u8", role: "main", mime: "application/vnd.apple.mpegurl" }]);
    expect(plan.collect.map((pattern) => `${pattern.prefix}*${pattern.suffix}:${pattern.role}`)).toEqual([
      "1080p.*.m3u8:playlist", "1080p_*.ts:segment", "720p.*.m3u8:playlist", "720p_*.ts:segment",
      "480p.*.m3u8:playlist", "480p_*.ts:segment", "360p.*.m3u8:playlist", "360p_*.ts:segment",
    ]);
  });

  it("forces a constant rate for variable-frame-rate input and sizes portrait rungs by the short side", () => {
    const args = ffmpegArgs(planAdaptiveVideo(context(namedProbes.rotatedPhone, {})).steps[0]);
    expect(args[3]).toBe("[0:v]fps=29.97,split=4[s0][s1][s2][s3];[s0]null[v0];[s1]scale=720:1280,setsar=1[v1];[s2]scale=480:854,setsar=1[v2];[s3]scale=360:640,setsar=1[v3]");
    const vfr = ffmpegArgs(planAdaptiveVideo(context(namedProbes.variableFrameRate, {})).steps[0]);
    expect(vfr[3]).toBe("[0:v]fps=29.87,split=3[s0][s1][s2];[s0]null[v0];[s1]scale=854:480,setsar=1[v1];[s2]scale=640:360,setsar=1[v2]");
    expect(vfr.slice(vfr.indexOf("-g"), vfr.indexOf("-g") + 4)).toEqual(["-g", "60", "-keyint_min", "60"]);
  });

  it("gives a small input without audio one rung at its own size", () => {
    const args = ffmpegArgs(planAdaptiveVideo(context(namedProbes.noAudio, { width: 320 })).steps[0]);
    expect(args).toEqual(expect.arrayContaining(["-an", "-var_stream_map", "v:0,name:180p"]));
    expect(args[3]).toBe("[0:v]fps=25,scale=320:180,setsar=1[s0];[s0]null[v0]");
    expect(args).not.toContain("0:a:0");
  });

  it("chooses rungs never above the input, at least one, scaled by quality", () => {
    expect(chooseRenditions({ width: 3840, height: 2160 }, undefined).map((rung) => rung.name)).toEqual(["1080p", "720p", "480p", "360p"]);
    expect(chooseRenditions({ width: 1280, height: 720 }, "high")).toEqual([
      { name: "720p", width: 1280, height: 720, bitrate: 3_500_000 },
      { name: "480p", width: 854, height: 480, bitrate: 1_750_000 },
      { name: "360p", width: 640, height: 360, bitrate: 1_000_000 },
    ]);
    expect(chooseRenditions({ width: 320, height: 240 }, undefined)).toEqual([{ name: "240p", width: 320, height: 240, bitrate: 266_667 }]);
  });
});

describe("planThumbnails", () => {
  it("tiles one frame per interval into a sprite and writes a VTT pointing into it", () => {
    const probe = { ...namedProbes.landscape1080p, duration: 25 };
    const plan = planThumbnails(context(probe, ZThumbnailsOptions.parse({})));
    expect(plan.steps).toEqual([
      {
        tool: "ffmpeg",
        durationSeconds: 25,
        args: [
          "-i", "/in/source", "-map", "0:v:0", "-an", "-sn", "-dn",
          "-vf", "fps=1/10:eof_action=pass,scale=160:90,setsar=1,tile=3x1",
          "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3", ...STRIP, "-f", "image2", "-update", "1", "/out/sprite.jpg",
        ],
      },
      {
        tool: "write",
        path: "/out/thumbnails.vtt",
        content: [
          "WEBVTT",
          "",
          "00:00:00.000 --> 00:00:10.000",
          "sprite.jpg#xywh=0,0,160,90",
          "",
          "00:00:10.000 --> 00:00:20.000",
          "sprite.jpg#xywh=160,0,160,90",
          "",
          "00:00:20.000 --> 00:00:25.000",
          "sprite.jpg#xywh=320,0,160,90",
          "",
        ].join("\n"),
      },
    ]);
    expect(plan.outputs.map((output) => output.role)).toEqual(["sprite", "vtt"]);
  });

  it("spaces `count` tiles evenly, wraps rows at `columns`, and cuts tiles out for format jpg", () => {
    const plan = planThumbnails(context(namedProbes.rotatedPhone, ZThumbnailsOptions.parse({ count: 5, width: 90, columns: 2, format: "jpg" })));
    expect(ffmpegArgs(plan.steps[0])).toContain("fps=1/2.5:eof_action=pass,scale=90:160,setsar=1,tile=2x3");
    const vtt = plan.steps[1]?.tool === "write" ? plan.steps[1].content : "";
    expect(vtt).toContain("00:00:10.000 --> 00:00:12.500\nsprite.jpg#xywh=0,320,90,160");
    expect(plan.steps[2]).toMatchObject({
      tool: "sharp",
      items: [
        { output: "/out/thumb-000.jpg", extract: { left: 0, top: 0, width: 90, height: 160 } },
        { output: "/out/thumb-001.jpg", extract: { left: 90, top: 0, width: 90, height: 160 } },
        { output: "/out/thumb-002.jpg", extract: { left: 0, top: 160, width: 90, height: 160 } },
        { output: "/out/thumb-003.jpg", extract: { left: 90, top: 160, width: 90, height: 160 } },
        { output: "/out/thumb-004.jpg", extract: { left: 0, top: 320, width: 90, height: 160 } },
      ],
    });
  });

  it("caps tiles at 1000 and formats VTT times", () => {
    const long = { ...namedProbes.landscape1080p, duration: 4 * 3600 };
    expect(ffmpegArgs(planThumbnails(context(long, { interval: 1 })).steps[0])).toContain("fps=1/14.4:eof_action=pass,scale=160:90,setsar=1,tile=10x100");
    expect(vttTime(3725.5)).toBe("01:02:05.500");
    expect(ZThumbnailsOptions.safeParse({ count: 3, interval: 5 }).success).toBe(false);
  });
});
