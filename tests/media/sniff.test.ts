// Magic-number sniffing and the early refusal of documents that are not media.
import { describe, expect, it } from "vitest";
import { refuseNonMedia, sniffMedia } from "@/lib/media/sniff";
import { readFirstBytes } from "@/lib/media/probe";
import { mediaFixture } from "@/tests/helpers/media-fixtures";

function ftyp(major: string, ...compatible: string[]): Buffer {
  const body = Buffer.from(`ftyp${major}\0\0\0\0${compatible.join("")}`, "latin1");
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 4);
  return Buffer.concat([size, body, Buffer.alloc(16)]);
}

function bytes(...parts: (string | number[])[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "latin1") : Buffer.from(part))));
}

function transportStream(): Buffer {
  const packets = Buffer.alloc(188 * 3);
  for (let i = 0; i < 3; i++) packets[i * 188] = 0x47;
  return packets;
}

describe("sniffMedia", () => {
  it.each<[string, Buffer, { family: string; container?: string; mime?: string }]>([
    ["HEIC (heic brand)", ftyp("heic", "mif1", "heic"), { family: "image", container: "heic", mime: "image/heic" }],
    ["HEIC (mif1 major, heic compatible)", ftyp("mif1", "mif1", "heic"), { family: "image", container: "heic", mime: "image/heic" }],
    ["HEIF (mif1 only)", ftyp("mif1", "mif1", "miaf"), { family: "image", container: "heif", mime: "image/heif" }],
    ["AVIF", ftyp("avif", "avif", "mif1", "miaf"), { family: "image", container: "avif", mime: "image/avif" }],
    ["QuickTime", ftyp("qt  ", "qt  "), { family: "video", container: "mov", mime: "video/quicktime" }],
    ["M4A", ftyp("M4A ", "M4A ", "isom"), { family: "audio", container: "m4a", mime: "audio/mp4" }],
    ["MP4", ftyp("isom", "isom", "avc1"), { family: "video", container: "mp4", mime: "video/mp4" }],
    ["3GP", ftyp("3gp4", "isom"), { family: "video", container: "3gp", mime: "video/3gpp" }],
    ["WebM", bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], "webm"), { family: "video", container: "webm", mime: "video/webm" }],
    ["Matroska", bytes([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x82, 0x88], "matroska"), { family: "video", container: "mkv", mime: "video/x-matroska" }],
    ["WAV", bytes("RIFF", [0, 0, 0, 0], "WAVEfmt "), { family: "audio", container: "wav", mime: "audio/wav" }],
    ["AVI", bytes("RIFF", [0, 0, 0, 0], "AVI LIST"), { family: "video", container: "avi", mime: "video/x-msvideo" }],
    ["WebP", bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 "), { family: "image", container: "webp", mime: "image/webp" }],
    ["MPEG-TS", transportStream(), { family: "video", container: "ts", mime: "video/mp2t" }],
    ["MP3 with ID3", bytes("ID3", [4, 0, 0, 0, 0, 0, 0]), { family: "audio", container: "mp3", mime: "audio/mpeg" }],
    ["bare MP3 frame", bytes([0xff, 0xfb, 0x90, 0x64]), { family: "audio", container: "mp3", mime: "audio/mpeg" }],
    ["ADTS AAC", bytes([0xff, 0xf1, 0x50, 0x80]), { family: "audio", container: "aac", mime: "audio/aac" }],
    ["Ogg Opus", bytes("OggS", [0, 2], Array(22).fill(0), "OpusHead"), { family: "audio", container: "opus", mime: "audio/ogg" }],
    ["Ogg Vorbis", bytes("OggS", [0, 2], Array(22).fill(0), [1], "vorbis"), { family: "audio", container: "ogg", mime: "audio/ogg" }],
    ["FLAC", bytes("fLaC", [0, 0, 0, 34]), { family: "audio", container: "flac", mime: "audio/flac" }],
    ["PNG", bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), { family: "image", container: "png", mime: "image/png" }],
    ["JPEG", bytes([0xff, 0xd8, 0xff, 0xe0]), { family: "image", container: "jpeg", mime: "image/jpeg" }],
    ["GIF", bytes("GIF89a", [1, 0, 1, 0]), { family: "image", container: "gif", mime: "image/gif" }],
    ["TIFF little-endian", bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), { family: "image", container: "tiff", mime: "image/tiff" }],
    ["TIFF big-endian", bytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), { family: "image", container: "tiff", mime: "image/tiff" }],
    ["BMP", bytes("BM", Array(12).fill(0), [40, 0, 0, 0]), { family: "image", container: "bmp", mime: "image/bmp" }],
  ])("recognises %s", (_, input, expected) => {
    expect(sniffMedia(input)).toEqual(expected);
  });

  it("leaves unknown binary and text starting with 'BM' or 'G' as unknown", () => {
    expect(sniffMedia(bytes([0, 0, 0, 1, 0x67, 0x42]))).toEqual({ family: "unknown" });
    expect(sniffMedia(Buffer.from("BMW owners club newsletter"))).toEqual({ family: "unknown" });
    expect(sniffMedia(Buffer.from("Good morning"))).toEqual({ family: "unknown" });
  });

  it("recognises the generated fixtures from their first bytes", async () => {
    const cases = [
      ["videoWithAudio", "video/mp4"],
      ["oddSize", "video/x-matroska"],
      ["audioOnly", "audio/mpeg"],
      ["jpegOrientation6", "image/jpeg"],
      ["heic", "image/heic"],
      ["animatedGif", "image/gif"],
    ] as const;
    for (const [name, mime] of cases) {
      expect(sniffMedia(await readFirstBytes(await mediaFixture(name))).mime, name).toBe(mime);
    }
  });
});

describe("refuseNonMedia", () => {
  it.each([
    ["an empty file", "", /empty \(0 bytes\)/],
    ["an HTML page", "\uFEFF  \n<!DOCTYPE html><html><body>Login</body></html>", /The URL returned an HTML page, not a media file/],
    ["bare HTML", "<html lang=en><head></head></html>", /HTML page/],
    ["XHTML with an XML declaration", '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"></html>', /HTML page/],
    ["an SVG image", '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', /SVG document/],
    ["a DASH manifest", '<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011"></MPD>', /DASH manifest/],
    ["an XML error page", '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>', /XML document/],
    ["an HLS playlist", "#EXTM3U\n#EXTINF:10,\nhttp://example.com/a.ts\n", /HLS\/M3U playlist/],
    ["an ffconcat list", "ffconcat version 1.0\nfile '/etc/passwd'\n", /ffmpeg concat list/],
    ["a PLS playlist", "[playlist]\nFile1=http://example.com/a.mp3\n", /PLS playlist/],
    ["JSON", '{"error":"not found"}', /JSON document/],
    ["plain text", "file '/etc/passwd'\nfile 'http://169.254.169.254/'\n", /plain text/],
  ])("refuses %s as invalid_input", (_, text, message) => {
    expect(() => refuseNonMedia(Buffer.from(text, "utf8"))).toThrow(expect.objectContaining({ code: "invalid_input", message: expect.stringMatching(message) }));
  });

  it("lets media and unknown binary through", () => {
    expect(() => refuseNonMedia(ftyp("isom", "isom"))).not.toThrow();
    expect(() => refuseNonMedia(bytes([0, 0, 0, 1, 0x67, 0x42, 0, 0x1e]))).not.toThrow();
  });
});
