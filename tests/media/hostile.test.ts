// Hostile and absurd inputs end quickly in typed errors, and playlists never make ffmpeg reach the network or local files.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/errors";
import { FfmpegError, runFfmpeg, runFfprobe } from "@/lib/media/ffmpeg";
import { mediaLimits } from "@/lib/media/limits";
import { assertProbeWithinLimits, probeFile, type TProbe } from "@/lib/media/probe";
import { transformMedia } from "@/lib/media/transform";
import { hostilePlaylists, mediaFixture, type FixtureName } from "@/tests/helpers/media-fixtures";
import { namedProbes } from "./named-probes";

const FAST_MS = 5000;

let canary: net.Server;
let canaryConnections = 0;
let canaryOrigin = "";
let playlists: ReturnType<typeof hostilePlaylists>;
const workDir = mkdtempSync(path.join(os.tmpdir(), "mediabit-hostile-"));

beforeAll(async () => {
  canary = net.createServer((socket) => {
    canaryConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => canary.listen(0, "127.0.0.2", resolve));
  const { port } = canary.address() as net.AddressInfo;
  canaryOrigin = `http://127.0.0.2:${port}`;
  playlists = hostilePlaylists(workDir, canaryOrigin);
});

afterAll(async () => {
  await new Promise<void>((resolve) => canary.close(() => resolve()));
});

/** Runs `action`, expecting a rejection within FAST_MS; returns the error. */
async function rejectsQuickly(action: () => Promise<unknown>): Promise<unknown> {
  const started = Date.now();
  const error = await action().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, "expected a rejection").toBeDefined();
  expect(Date.now() - started).toBeLessThan(FAST_MS);
  return error;
}

async function expectProbeRefused(name: FixtureName, code: string, message: RegExp): Promise<void> {
  const file = await mediaFixture(name);
  const error = await rejectsQuickly(() => probeFile(file));
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
}

describe("probeFile refuses hostile inputs", () => {
  it("refuses a zero-byte file", () => expectProbeRefused("zeroBytes", "invalid_input", /empty/));
  it("refuses an HTML page", () => expectProbeRefused("htmlPage", "invalid_input", /HTML page, not a media file/));
  it("refuses a truncated mp4 with no moov atom", () => expectProbeRefused("truncatedMp4", "invalid_input", /truncated or corrupt/));
  it("refuses a PNG whose header declares 50000×50000", () => expectProbeRefused("hugeDeclaredPng", "unprocessable", /50000×50000 px.*16384 px on a side/));
  it("refuses a PNG decompression bomb by its pixel count", () => expectProbeRefused("pngBomb", "unprocessable", /144000000 pixels/));
  it("refuses a video declaring a 16000×16000 frame", () => expectProbeRefused("declared16k", "unprocessable", /16000×16000 px/));
  it("refuses a video declaring a 16384×16384 frame ffmpeg itself rejects", () =>
    expectProbeRefused("declared16384", "invalid_input", /no usable frame size/));
  it("refuses a 10-hour video", () => expectProbeRefused("tenHours", "unprocessable", /36000 s long; this server accepts at most 14400 s/));
  it("refuses a file with 20 streams", () => expectProbeRefused("manyStreams", "unprocessable", /20 streams; this server accepts at most 16/));

  it("refuses an HLS playlist, an ffconcat list and a playlist named .mp4 by their first bytes", async () => {
    for (const file of [playlists.m3u8, playlists.m3u8Local, playlists.ffconcat, playlists.m3u8AsMp4]) {
      const error = await rejectsQuickly(() => probeFile(file));
      expect(error).toMatchObject({ code: "invalid_input", message: expect.stringMatching(/(playlist|concat list), not a media file/) });
    }
    expect(canaryConnections).toBe(0);
  });
});

describe("ffmpeg and ffprobe on playlists and concat lists", () => {
  it("ffprobe refuses them without opening any referenced URL", async () => {
    for (const file of [playlists.m3u8, playlists.m3u8Local, playlists.ffconcat, playlists.m3u8AsMp4]) {
      const error = await rejectsQuickly(() => runFfprobe(file));
      expect(error).toBeInstanceOf(FfmpegError);
      expect((error as FfmpegError).stderrTail).toMatch(/not on whitelist|Invalid data/);
    }
    expect(canaryConnections).toBe(0);
  });

  it("ffmpeg refuses them even when a demuxer is forced, without reading /etc/passwd", async () => {
    const attempts = [
      ["-i", playlists.m3u8],
      ["-f", "hls", "-i", playlists.m3u8],
      ["-f", "hls", "-i", playlists.m3u8Local],
      ["-i", playlists.m3u8AsMp4],
      ["-f", "concat", "-safe", "0", "-i", playlists.ffconcat],
      ["-i", playlists.ffconcat],
    ];
    for (const [index, input] of attempts.entries()) {
      const output = path.join(workDir, `leak-${index}.mkv`);
      const error = await rejectsQuickly(() => runFfmpeg([...input, "-c", "copy", "-f", "matroska", output]));
      expect(error).toBeInstanceOf(FfmpegError);
      expect((error as FfmpegError).stderrTail).toMatch(/not on whitelist/);
    }
    expect(readdirSync(workDir).filter((name) => name.startsWith("leak-"))).toEqual([]);
    expect(canaryConnections).toBe(0);
  });

  it("the canary does see ffmpeg when the whitelists are left off (control)", async () => {
    const before = canaryConnections;
    // Direct spawn on purpose, allowing http: shows the canary would catch a leak. Loopback only.
    await promisify(execFile)("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-protocol_whitelist", "file,http,tcp", "-i", playlists.m3u8, "-f", "null", "-"], {
      timeout: 10_000,
    }).catch(() => undefined);
    expect(canaryConnections).toBeGreaterThan(before);
    canaryConnections = before;
  });

  it("refuses inputs that are URLs or relative paths before spawning", async () => {
    await expect(runFfmpeg(["-i", `${canaryOrigin}/z.mp4`, "-f", "null", "-"])).rejects.toThrow(/absolute local paths/);
    await expect(runFfmpeg(["-i", "relative.mp4", "-f", "null", "-"])).rejects.toThrow(/absolute local paths/);
    await expect(runFfprobe("file:///etc/passwd")).rejects.toThrow(/absolute local paths/);
    expect(canaryConnections).toBe(0);
  });
});

describe("assertProbeWithinLimits", () => {
  const limits = { ...mediaLimits(), maxFps: 240, maxDurationSeconds: 4 * 3600, maxDimension: 16384, maxPixels: 100_000_000, maxStreams: 16 };
  const probe = namedProbes.landscape1080p;

  it("accepts an ordinary 1080p video", () => {
    expect(() => assertProbeWithinLimits(probe, limits)).not.toThrow();
  });

  it.each<[string, Partial<TProbe>, RegExp]>([
    ["fps", { fps: 1000 }, /1000 fps; this server accepts at most 240 fps/],
    ["duration", { duration: 4 * 3600 + 1 }, /14401 s long/],
    ["width", { width: 20000, height: 100 }, /20000×100 px; this server accepts at most 16384 px on a side/],
    ["pixels", { width: 12000, height: 9000 }, /108000000 pixels/],
    ["streams", { streams: 17 }, /17 streams/],
    ["file size", { filesize: limits.maxFileBytes + 1 }, /bytes; this server accepts at most/],
  ])("refuses a video over the %s limit as unprocessable", (_, override, message) => {
    expect(() => assertProbeWithinLimits({ ...probe, ...override }, limits)).toThrow(
      expect.objectContaining({ code: "unprocessable", message: expect.stringMatching(message) }),
    );
  });
});

describe("transformMedia on a lying probe", () => {
  it("sharp's pixel limit still stops a decompression bomb", async () => {
    const bomb = await mediaFixture("pngBomb");
    const liar: TProbe = { ...namedProbes.opaquePng, width: 100, height: 100 };
    const error = await rejectsQuickly(() =>
      transformMedia({ kind: "image", inputPath: bomb, probe: liar, options: { format: "jpeg", width: 50 }, outDir: path.join(workDir, "bomb") }),
    );
    expect(error).toMatchObject({ code: "unprocessable", message: expect.stringMatching(/more pixels than this server accepts/) });
  });
});
