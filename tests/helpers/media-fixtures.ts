// Media fixtures generated on demand (ffmpeg lavfi, sharp, heif-enc, hand-made bytes), cached by recipe in the temp dir.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { deflateSync } from "node:zlib";
import sharp from "sharp";

const run = promisify(execFile);
// Kept across test runs (the test command points TMPDIR at a folder of its own and removes it).
const CACHE_DIR = path.join(process.env.MEDIABIT_FIXTURE_TMP ?? os.tmpdir(), "mediabit-media-fixtures");

type Recipe = { ext: string; make: (output: string) => Promise<void>; version: string };

async function ffmpeg(...args: string[]): Promise<void> {
  await run("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", ...args], { timeout: 60_000 });
}

const x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];
const aac = ["-c:a", "aac", "-b:a", "96k"];

/** ffmpeg lavfi clip: testsrc2 video of `size` at `fps`, optional stereo sine audio. */
function lavfiClip(options: {
  size: string;
  fps: number;
  seconds: number;
  audio: boolean;
  extra?: string[];
  codec?: string[];
  /** testsrc2 rounds sizes to even; testsrc keeps odd ones. */
  source?: "testsrc2" | "testsrc";
}): Recipe["make"] {
  return (output) =>
    ffmpeg(
      "-f",
      "lavfi",
      "-i",
      `${options.source ?? "testsrc2"}=s=${options.size}:r=${options.fps}:d=${options.seconds}`,
      ...(options.audio ? ["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:d=${options.seconds}`] : []),
      ...(options.codec ?? x264),
      ...(options.audio ? [...aac, "-ac", "2"] : []),
      ...(options.extra ?? []),
      "-shortest",
      output,
    );
}

// CRC-32 as PNG chunks use it.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A syntactically valid PNG declaring `width`×`height` with bit depth `depth` greyscale, and the given IDAT payload. */
export function craftPng(width: number, height: number, idat: Buffer, depth = 8): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", idat),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Patches a 256×256 rawvideo Matroska's PixelWidth/PixelHeight (2-byte EBML uints) to `size`, without touching pixels. */
function declareMatroskaSize(file: string, size: number): void {
  const bytes = readFileSync(file);
  let patched = 0;
  for (const id of [0xb0, 0xba]) {
    for (let i = 0; i < 512; i++) {
      if (bytes[i] === id && bytes[i + 1] === 0x82 && bytes[i + 2] === 0x01 && bytes[i + 3] === 0x00) {
        bytes.writeUInt16BE(size, i + 2);
        patched++;
        break;
      }
    }
  }
  if (patched !== 2) throw new Error("PixelWidth/PixelHeight not found in the Matroska header");
  writeFileSync(file, bytes);
}

export const RECIPES = {
  /** 640×360 30 fps, 3 s, h264 + aac stereo. */
  videoWithAudio: { ext: "mp4", version: "1", make: lavfiClip({ size: "640x360", fps: 30, seconds: 3, audio: true }) },
  /** 320×240 25 fps, 2 s, h264, no audio. */
  videoNoAudio: { ext: "mp4", version: "1", make: lavfiClip({ size: "320x240", fps: 25, seconds: 2, audio: false }) },
  /** 1920×1080 25 fps, 2 s, h264 + aac: the seeds' "1280 wide" outputs need a larger input. */
  video1080: { ext: "mp4", version: "1", make: lavfiClip({ size: "1920x1080", fps: 25, seconds: 2, audio: true }) },
  /** 1280×720 30 fps, 60 s, h264: long enough to cancel mid-transcode. */
  longVideo: { ext: "mp4", version: "1", make: lavfiClip({ size: "1280x720", fps: 30, seconds: 60, audio: false }) },
  /** 854×480 30 fps, 8 s, h264 + aac: two HLS rungs (480p, 360p), two 6 s segments each. */
  video480: { ext: "mp4", version: "2", make: lavfiClip({ size: "854x480", fps: 30, seconds: 8, audio: true }) },
  /** Phone-style: stored 320×240 with a rotate=90 tag (a display matrix), so it displays 240×320. */
  rotatedPhone: {
    ext: "mp4",
    version: "1",
    make: async (output) => {
      const plain = `${output}.plain.mp4`;
      await lavfiClip({ size: "320x240", fps: 30, seconds: 2, audio: true })(plain);
      // ffmpeg 5.1 has no -display_rotation; the rotate tag on a stream copy writes the matrix.
      await ffmpeg("-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", output);
    },
  },
  /** Odd frame size 641×359 (encoded with yuv444p, which allows odd sizes). */
  oddSize: {
    ext: "mkv",
    version: "2",
    make: lavfiClip({ size: "641x359", fps: 24, seconds: 2, audio: true, source: "testsrc", codec: ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p"] }),
  },
  /** 10-bit H.264 (High 10), 320×240, 2 s. */
  tenBit: {
    ext: "mp4",
    version: "1",
    make: lavfiClip({ size: "320x240", fps: 30, seconds: 2, audio: false, codec: ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le"] }),
  },
  /** 10 s at 30 fps with one keyframe (GOP 300) whose luma encodes time: Y = 16 + 20·t, for seek-accuracy checks. */
  longGop: {
    ext: "mp4",
    version: "1",
    make: (output) =>
      ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "color=c=black:s=64x64:r=30:d=10,format=yuv420p,geq=lum='16+20*T':cb=128:cr=128",
        ...x264,
        "-g",
        "300",
        "-keyint_min",
        "300",
        "-sc_threshold",
        "0",
        "-qp",
        "0",
        output,
      ),
  },
  /** Stereo 44.1 kHz MP3, 2 s, no video. */
  audioOnly: {
    ext: "mp3",
    version: "1",
    make: (output) => ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100:d=2", "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", output),
  },
  /** 20 audio streams in Matroska: over the default 16-stream limit. */
  manyStreams: {
    ext: "mkv",
    version: "1",
    make: (output) =>
      ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "sine=d=0.5",
        ...Array.from({ length: 20 }, () => ["-map", "0:a"]).flat(),
        "-c:a",
        "flac",
        output,
      ),
  },
  /** Three frames 12000 s apart: a 10-hour 16×16 H.264 that takes a fraction of a second to make. */
  tenHours: {
    ext: "mp4",
    version: "2",
    make: (output) => ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=16x16:r=1/12000", "-frames:v", "3", ...x264, output),
  },
  /** Matroska rawvideo whose header declares a 16000×16000 frame (256 MP) around a 64 KB 256×256 frame. */
  declared16k: {
    ext: "mkv",
    version: "1",
    make: async (output) => {
      await ffmpeg("-f", "lavfi", "-i", "color=s=256x256", "-frames:v", "1", "-c:v", "rawvideo", "-pix_fmt", "gray", output);
      declareMatroskaSize(output, 16000);
    },
  },
  /** The same, declaring 16384×16384: beyond ffmpeg's own frame-size check, so no usable frame size at all. */
  declared16384: {
    ext: "mkv",
    version: "1",
    make: async (output) => {
      await ffmpeg("-f", "lavfi", "-i", "color=s=256x256", "-frames:v", "1", "-c:v", "rawvideo", "-pix_fmt", "gray", output);
      declareMatroskaSize(output, 16384);
    },
  },
  /** The first half of an MP4 whose moov atom is at the end (no faststart): no index, nothing decodable. */
  truncatedMp4: {
    ext: "mp4",
    version: "1",
    make: async (output) => {
      const whole = `${output}.whole.mp4`;
      await lavfiClip({ size: "320x240", fps: 30, seconds: 2, audio: true })(whole);
      const bytes = readFileSync(whole);
      writeFileSync(output, bytes.subarray(0, Math.floor(bytes.length / 2)));
    },
  },
  /** 10-frame animated GIF, 160×120 at 10 fps. */
  animatedGif: {
    ext: "gif",
    version: "1",
    make: (output) => ffmpeg("-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=1", "-loop", "0", output),
  },
  /** 640×480 JPEG with EXIF orientation 6 (rotate 90° clockwise): displays 480×640. */
  jpegOrientation6: {
    ext: "jpg",
    version: "1",
    make: async (output) => {
      await sharp({ create: { width: 640, height: 480, channels: 3, background: "#3366cc" } })
        .jpeg({ quality: 85 })
        .withMetadata({ orientation: 6 })
        .toFile(output);
    },
  },
  /** Opaque 320×200 PNG. */
  png: {
    ext: "png",
    version: "1",
    make: async (output) => {
      await sharp({ create: { width: 320, height: 200, channels: 3, background: "#cc3333" } }).png().toFile(output);
    },
  },
  /** 200×100 PNG, half-transparent red. */
  transparentPng: {
    ext: "png",
    version: "1",
    make: async (output) => {
      await sharp({ create: { width: 200, height: 100, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } }).png().toFile(output);
    },
  },
  /** 320×240 HEIC made by heif-enc from a PNG. */
  heic: {
    ext: "heic",
    version: "1",
    make: async (output) => {
      const source = `${output}.png`;
      await sharp({ create: { width: 320, height: 240, channels: 3, background: "#22aa44" } }).png().toFile(source);
      await run("heif-enc", ["-q", "50", "-o", output, source], { timeout: 60_000 });
    },
  },
  /** PNG header declaring 50000×50000 over a tiny IDAT: must be refused from the header alone. */
  hugeDeclaredPng: {
    ext: "png",
    version: "1",
    make: async (output) => writeFileSync(output, craftPng(50_000, 50_000, deflateSync(Buffer.alloc(64)))),
  },
  /** Real decompression bomb: 12000×12000 1-bit greyscale, every byte zero, ~20 KB on disk, 144 MP decoded. */
  pngBomb: {
    ext: "png",
    version: "1",
    make: async (output) => {
      const row = 1 + 12_000 / 8;
      writeFileSync(output, craftPng(12_000, 12_000, deflateSync(Buffer.alloc(row * 12_000), { level: 9 }), 1));
    },
  },
  zeroBytes: { ext: "mp4", version: "1", make: async (output) => writeFileSync(output, Buffer.alloc(0)) },
  htmlPage: {
    ext: "mp4",
    version: "1",
    make: async (output) => writeFileSync(output, "<!DOCTYPE html>\n<html><head><title>Not found</title></head><body>404</body></html>\n"),
  },
} satisfies Record<string, Recipe>;

export type FixtureName = keyof typeof RECIPES;

/** Path of a generated fixture; made once per recipe version and shared by parallel test workers. */
export async function mediaFixture(name: FixtureName): Promise<string> {
  const recipe: Recipe = RECIPES[name];
  const key = createHash("sha256").update(`${name}:${recipe.version}`).digest("hex").slice(0, 10);
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(CACHE_DIR, `${name}-${key}.${recipe.ext}`);
  if (existsSync(file)) return file;
  // Build under a private name, then rename: a parallel worker either sees the whole file or none.
  const building = path.join(CACHE_DIR, `${name}-${key}-${process.pid}-${Date.now()}.${recipe.ext}`);
  await recipe.make(building);
  renameSync(building, file);
  return file;
}

/**
 * Playlists and concat lists that point elsewhere: `m3u8` names only `canaryOrigin` (ffmpeg without whitelists does
 * connect to it), `m3u8Local` names /etc/passwd, `ffconcat` names both, `m3u8AsMp4` is `m3u8` under a media name.
 */
export function hostilePlaylists(dir: string, canaryOrigin: string): { m3u8: string; m3u8Local: string; ffconcat: string; m3u8AsMp4: string } {
  const playlist = (uri: string) =>
    ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:1", "#EXT-X-MEDIA-SEQUENCE:0", "#EXTINF:1.0,", uri, "#EXT-X-ENDLIST", ""].join("\n");
  const m3u8 = path.join(dir, "evil.m3u8");
  writeFileSync(m3u8, playlist(`${canaryOrigin}/x.ts`));
  const m3u8Local = path.join(dir, "evil-local.m3u8");
  writeFileSync(m3u8Local, playlist("file:///etc/passwd"));
  const m3u8AsMp4 = path.join(dir, "evil-playlist.mp4");
  writeFileSync(m3u8AsMp4, playlist(`${canaryOrigin}/x.ts`));
  const ffconcat = path.join(dir, "evil.ffconcat");
  writeFileSync(ffconcat, `ffconcat version 1.0\nfile '${canaryOrigin}/y.mp4'\nfile '/etc/passwd'\n`);
  return { m3u8, m3u8Local, ffconcat, m3u8AsMp4 };
}
