// Guesses what a file is from its first bytes, and refuses documents that are clearly not media.
import { AppError } from "@/lib/api/errors";

export type TMediaFamily = "video" | "audio" | "image" | "unknown";

export type TSniff = { family: TMediaFamily; container?: string; mime?: string };

/** How many leading bytes callers should pass: enough for an ftyp box's brand list and three TS packets. */
export const SNIFF_BYTES = 4096;

const HEIC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"]);
const HEIF_BRANDS = new Set(["mif1", "msf1", "mif2"]);
const AVIF_BRANDS = new Set(["avif", "avis"]);
// QuickTime files from old cameras may start with one of these atoms instead of ftyp.
const QUICKTIME_LEADING_ATOMS = new Set(["moov", "mdat", "wide", "free", "skip", "pnot"]);

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.subarray(start, end).toString("latin1");
}

function startsWith(bytes: Buffer, signature: readonly number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);
}

/** Best guess from magic numbers; `unknown` means "let ffprobe decide", not "reject". */
export function sniffMedia(firstBytes: Buffer): TSniff {
  const b = firstBytes;
  if (b.length < 4) return { family: "unknown" };

  if (ascii(b, 4, 8) === "ftyp") return sniffIsoBmff(b);
  if (b.length >= 8 && QUICKTIME_LEADING_ATOMS.has(ascii(b, 4, 8))) {
    return { family: "video", container: "mov", mime: "video/quicktime" };
  }
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) {
    // The EBML header's DocType sits in the first few dozen bytes.
    const isWebm = ascii(b, 0, Math.min(b.length, 64)).includes("webm");
    return isWebm
      ? { family: "video", container: "webm", mime: "video/webm" }
      : { family: "video", container: "mkv", mime: "video/x-matroska" };
  }
  if (ascii(b, 0, 4) === "RIFF" && b.length >= 12) {
    const form = ascii(b, 8, 12);
    if (form === "WAVE") return { family: "audio", container: "wav", mime: "audio/wav" };
    if (form === "AVI ") return { family: "video", container: "avi", mime: "video/x-msvideo" };
    if (form === "WEBP") return { family: "image", container: "webp", mime: "image/webp" };
  }
  if (isMpegTs(b, 188, 0) || isMpegTs(b, 192, 4)) return { family: "video", container: "ts", mime: "video/mp2t" };
  if (ascii(b, 0, 3) === "FLV") return { family: "video", container: "flv", mime: "video/x-flv" };
  if (ascii(b, 0, 4) === "OggS") return sniffOgg(b);
  if (ascii(b, 0, 4) === "fLaC") return { family: "audio", container: "flac", mime: "audio/flac" };
  if (ascii(b, 0, 3) === "ID3") return { family: "audio", container: "mp3", mime: "audio/mpeg" };
  if (ascii(b, 0, 4) === "FORM" && b.length >= 12 && ascii(b, 8, 11) === "AIF") {
    return { family: "audio", container: "aiff", mime: "audio/aiff" };
  }
  if (ascii(b, 0, 4) === "caff") return { family: "audio", container: "caf", mime: "audio/x-caf" };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { family: "image", container: "png", mime: "image/png" };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { family: "image", container: "jpeg", mime: "image/jpeg" };
  if (ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a") return { family: "image", container: "gif", mime: "image/gif" };
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { family: "image", container: "tiff", mime: "image/tiff" };
  }
  if (isBmp(b)) return { family: "image", container: "bmp", mime: "image/bmp" };
  if (b[0] === 0xff && b.length >= 2) {
    const second = b[1] as number;
    // ADTS: 12-bit sync then layer bits 00; MPEG audio: 11-bit sync, a valid version and a non-zero layer.
    if ((second & 0xf6) === 0xf0) return { family: "audio", container: "aac", mime: "audio/aac" };
    if ((second & 0xe0) === 0xe0 && ((second >> 3) & 0x03) !== 0x01 && ((second >> 1) & 0x03) !== 0) {
      return { family: "audio", container: "mp3", mime: "audio/mpeg" };
    }
  }
  return { family: "unknown" };
}

function sniffIsoBmff(b: Buffer): TSniff {
  const boxSize = Math.min(b.readUInt32BE(0), b.length);
  const major = ascii(b, 8, 12);
  const brands = [major];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(ascii(b, offset, offset + 4));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return { family: "image", container: "avif", mime: "image/avif" };
  if (brands.some((brand) => HEIC_BRANDS.has(brand))) return { family: "image", container: "heic", mime: "image/heic" };
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return { family: "image", container: "heif", mime: "image/heif" };
  if (major === "qt  ") return { family: "video", container: "mov", mime: "video/quicktime" };
  if (major === "M4A " || major === "M4B ") return { family: "audio", container: "m4a", mime: "audio/mp4" };
  if (major.startsWith("3g")) return { family: "video", container: "3gp", mime: "video/3gpp" };
  return { family: "video", container: "mp4", mime: "video/mp4" };
}

function sniffOgg(b: Buffer): TSniff {
  const head = ascii(b, 0, Math.min(b.length, 128));
  if (head.includes("theora")) return { family: "video", container: "ogg", mime: "video/ogg" };
  if (head.includes("OpusHead")) return { family: "audio", container: "opus", mime: "audio/ogg" };
  return { family: "audio", container: "ogg", mime: "audio/ogg" };
}

// Two sync bytes a packet apart: one 0x47 alone is just the letter "G".
function isMpegTs(b: Buffer, packetSize: number, offset: number): boolean {
  return b.length >= offset + packetSize + 1 && b[offset] === 0x47 && b[offset + packetSize] === 0x47;
}

// "BM" alone starts plenty of text; also require a known DIB header size.
function isBmp(b: Buffer): boolean {
  if (b.length < 18 || ascii(b, 0, 2) !== "BM") return false;
  return [12, 40, 52, 56, 64, 108, 124].includes(b.readUInt32LE(14));
}

/**
 * Throws `invalid_input` for inputs that are certainly not media: empty files, web pages, XML and SVG, playlists and
 * manifests (which ffmpeg would follow to other URLs or local files), JSON and other plain text. `subject` names where
 * the bytes came from in the message.
 */
export function refuseNonMedia(firstBytes: Buffer, subject: "The URL returned" | "The upload is" = "The URL returned"): void {
  if (firstBytes.length === 0) throw new AppError("invalid_input", "The file is empty (0 bytes), not a media file.");
  if (sniffMedia(firstBytes).family !== "unknown") return;

  const text = firstBytes.toString("utf8").replace(/^\uFEFF/, "").trimStart();
  const lower = text.slice(0, 1024).toLowerCase();
  const refuse = (what: string) => {
    throw new AppError("invalid_input", `${subject} ${what}, not a media file.`);
  };
  if (lower.startsWith("#extm3u")) refuse("an HLS/M3U playlist");
  if (lower.startsWith("ffconcat")) refuse("an ffmpeg concat list");
  if (lower.startsWith("[playlist]")) refuse("a PLS playlist");
  if (/^<(!doctype\s+html|html|head|body)[\s>]/.test(lower)) refuse("an HTML page");
  if (lower.startsWith("<") && lower.includes("<mpd")) refuse("a DASH manifest (MPD)");
  if (lower.startsWith("<") && lower.includes("<svg")) refuse("an SVG document");
  if (lower.startsWith("<?xml")) refuse(lower.includes("<html") ? "an HTML page" : "an XML document");
  if (lower.startsWith("<") && lower.includes("<html")) refuse("an HTML page");
  if (isPlainText(firstBytes)) refuse(/^[{[]/.test(lower) ? "a JSON document" : "plain text");
}

// Text has no NUL and almost no other C0 controls; media containers are full of both within a few bytes.
function isPlainText(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 1024);
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) controls++;
  }
  return controls <= sample.length / 100;
}
