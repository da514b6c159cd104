import { describe, expect, it } from "vitest";
import { mimeForFileName } from "@/lib/media/mime";

describe("mimeForFileName", () => {
  it("implies the types the local store has always inferred (objects stored without a sidecar keep their type)", () => {
    const stored: Record<string, string> = {
      jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp", avif: "image/avif", gif: "image/gif",
      mp4: "video/mp4", mov: "video/quicktime", webm: "video/webm", mkv: "video/x-matroska", ts: "video/mp2t",
      m3u8: "application/vnd.apple.mpegurl", vtt: "text/vtt",
      mp3: "audio/mpeg", m4a: "audio/mp4", aac: "audio/aac", wav: "audio/wav", flac: "audio/flac",
    };
    for (const [extension, type] of Object.entries(stored)) expect(mimeForFileName(`out/file.${extension.toUpperCase()}`), extension).toBe(type);
  });

  it("implies nothing for names without an extension or with an unknown one", () => {
    expect(mimeForFileName("README")).toBeUndefined();
    expect(mimeForFileName(".hidden")).toBeUndefined();
    expect(mimeForFileName("notes.txt")).toBeUndefined();
  });
});
