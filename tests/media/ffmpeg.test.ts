// The ffmpeg runner: argument guards, progress, typed failures, timeouts and cancellation that really kill the child.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  FfmpegError,
  INPUT_DEMUXERS,
  buildFfmpegArgv,
  createProgressParser,
  listFfmpegEncoders,
  parseEncoderList,
  runFfmpeg,
} from "@/lib/media/ffmpeg";
import { KILL_GRACE_MS, runProcess, tailLines } from "@/lib/media/run-process";
import { assertEncodersAvailable } from "@/lib/media/transform";
import { mediaFixture } from "@/tests/helpers/media-fixtures";

const workDir = mkdtempSync(path.join(os.tmpdir(), "mediabit-ffmpeg-"));
let clip: string;
let longClip: string;

beforeAll(async () => {
  clip = await mediaFixture("videoWithAudio");
  longClip = await mediaFixture("longGop");
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const GUARDS = ["-protocol_whitelist", "file", "-format_whitelist", INPUT_DEMUXERS.join(",")];

describe("buildFfmpegArgv", () => {
  it("adds the fixed flags and a protocol and demuxer whitelist before every input", () => {
    expect(buildFfmpegArgv(["-ss", "1", "-i", "/in/a.mp4", "-i", "/in/b.wav", "-map", "0:v", "/out/x.mp4"])).toEqual([
      "-hide_banner",
      "-nostdin",
      "-y",
      "-loglevel",
      "warning",
      "-nostats",
      "-progress",
      "pipe:1",
      "-ss",
      "1",
      ...GUARDS,
      "-i",
      "/in/a.mp4",
      ...GUARDS,
      "-i",
      "/in/b.wav",
      "-map",
      "0:v",
      "/out/x.mp4",
    ]);
  });

  it("allows the pipe protocol only for a pipe input the caller opted into", () => {
    expect(buildFfmpegArgv(["-i", "pipe:0", "/out/x.mp4"], { allowPipeInput: true })).toContain("file,pipe");
    expect(() => buildFfmpegArgv(["-i", "pipe:0", "/out/x.mp4"])).toThrow(/pipe input is not allowed/);
  });

  it("refuses URL, relative and protocol-prefixed inputs, and hand-made whitelists", () => {
    expect(() => buildFfmpegArgv(["-i", "http://127.0.0.1/x.mp4", "/o.mp4"])).toThrow(/absolute local paths/);
    expect(() => buildFfmpegArgv(["-i", "concat:/a.ts|/b.ts", "/o.mp4"])).toThrow(/absolute local paths/);
    expect(() => buildFfmpegArgv(["-i", "in.mp4", "/o.mp4"])).toThrow(/absolute local paths/);
    expect(() => buildFfmpegArgv(["-protocol_whitelist", "file,http", "-i", "/in.mp4", "/o.mp4"])).toThrow(/must not pass it/);
    expect(() => buildFfmpegArgv(["-i"])).toThrow(/ends with -i/);
  });
});

describe("createProgressParser", () => {
  it("turns out_time_us into increasing fractions, across chunk boundaries, and ends at 1", () => {
    const seen: number[] = [];
    const feed = createProgressParser(4, (fraction) => seen.push(fraction));
    feed("frame=10\nout_time_us=1000");
    feed("000\nprogress=continue\nout_time_us=N/A\nout_time_us=500000\n");
    feed("out_time_us=3000000\nprogress=end\n");
    expect(seen).toEqual([0.25, 0.75, 1]);
  });
});

describe("encoders", () => {
  it("parses ffmpeg -encoders output", () => {
    const text = "Encoders:\n V..... = Video\n ------\n V....D libx264              libx264 H.264\n A..... aac                  AAC\n";
    expect([...parseEncoderList(text)]).toEqual(["libx264", "aac"]);
  });

  it("refuses work needing an encoder this ffmpeg lacks with format_unsupported", async () => {
    await expect(assertEncodersAvailable(["libx264", "libnonexistent"])).rejects.toMatchObject({
      code: "format_unsupported",
      message: "This server's ffmpeg has no libnonexistent encoder, which this output needs.",
    });
    await expect(assertEncodersAvailable(["libx264", "aac"])).resolves.toBeUndefined();
  });

  it("lists the installed ffmpeg's encoders", async () => {
    const encoders = await listFfmpegEncoders();
    for (const name of ["libx264", "libx265", "libvpx-vp9", "libsvtav1", "aac", "libopus", "libmp3lame", "libwebp_anim", "gif", "png", "mjpeg"]) {
      expect(encoders.has(name), name).toBe(true);
    }
  });
});

describe("runFfmpeg", () => {
  it("encodes and reports progress up to 1", async () => {
    const fractions: number[] = [];
    const output = path.join(workDir, "progress.mp4");
    await runFfmpeg(["-i", clip, "-c:v", "libx264", "-preset", "veryfast", "-an", "-f", "mp4", output], {
      durationSeconds: 3,
      onProgress: (fraction) => fractions.push(fraction),
    });
    expect(fractions.at(-1)).toBe(1);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });

  it("fails with a typed FfmpegError carrying the exit code and the stderr tail", async () => {
    const error = await runFfmpeg(["-i", path.join(workDir, "missing.mp4"), "-f", "null", "-"]).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error).toMatchObject({ tool: "ffmpeg", reason: "exit", signal: null });
    expect((error as FfmpegError).exitCode).not.toBe(0);
    expect((error as FfmpegError).stderrTail).toMatch(/No such file or directory/);
    expect((error as FfmpegError).message).toMatch(/exit code \d+: .*No such file/);
  });

  it("keeps only the last 20 stderr lines", () => {
    const text = Array.from({ length: 50 }, (_, index) => `line ${index}`).join("\n");
    expect(tailLines(text).split("\n")).toEqual(Array.from({ length: 20 }, (_, index) => `line ${index + 30}`));
  });

  it("kills ffmpeg at the wall-clock timeout", async () => {
    let pid = 0;
    const started = Date.now();
    // -re reads at native speed: a 10 s clip takes 10 s, far past the 600 ms limit.
    const error = await runFfmpeg(["-re", "-i", longClip, "-f", "null", "-"], { timeoutMs: 600, onSpawn: (id) => (pid = id) }).catch(
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error).toMatchObject({ reason: "timeout", message: expect.stringMatching(/time limit/) });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  });

  it("kills ffmpeg when the signal aborts, rejecting with the abort reason", async () => {
    let pid = 0;
    const controller = new AbortController();
    const running = runFfmpeg(["-re", "-i", longClip, "-f", "null", "-"], {
      signal: controller.signal,
      durationSeconds: 10,
      onSpawn: (id) => (pid = id),
      onProgress: (fraction) => {
        if (fraction > 0) controller.abort();
      },
    });
    await expect(running).rejects.toMatchObject({ name: "AbortError" });
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  });

  it("escalates to SIGKILL when a tool ignores SIGTERM", async () => {
    const controller = new AbortController();
    let stoppedAt = 0;
    const script = "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)";
    const { end } = await runProcess(process.execPath, ["-e", script], {
      timeoutMs: 30_000,
      signal: controller.signal,
      // Stop only once the handler is installed, so SIGTERM is sure to be ignored.
      onStdout: () => {
        stoppedAt = Date.now();
        controller.abort();
      },
    });
    expect(end).toMatchObject({ reason: "aborted", signal: "SIGKILL" });
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(KILL_GRACE_MS - 50);
    expect(Date.now() - stoppedAt).toBeLessThan(KILL_GRACE_MS + 3000);
  });

  it("does not start at all when the signal is already aborted", async () => {
    let spawned = false;
    await expect(runFfmpeg(["-i", clip, "-f", "null", "-"], { signal: AbortSignal.abort(), onSpawn: () => (spawned = true) })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(spawned).toBe(false);
  });
});
