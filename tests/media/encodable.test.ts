import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/api/errors";
import { listFfmpegEncoders } from "@/lib/media/ffmpeg";
import { assertOptionsEncodable } from "@/lib/media/kinds";

describe("assertOptionsEncodable", () => {
  it("accepts what the installed ffmpeg can encode", async () => {
    const encoders = await listFfmpegEncoders();
    expect(() => assertOptionsEncodable("video", { format: "webm", codec: "vp9" }, encoders)).not.toThrow();
    expect(() => assertOptionsEncodable("audio", { format: "opus" }, encoders)).not.toThrow();
  });

  it("refuses a codec the ffmpeg build lacks with a 4xx that names the encoder", () => {
    const withoutAv1 = new Set(["libx264", "aac", "libvpx-vp9", "libopus"]);
    let error: unknown;
    try {
      assertOptionsEncodable("video", { format: "mp4", codec: "av1" }, withoutAv1);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).code).toBe("format_unsupported");
    expect((error as AppError).message).toContain("libsvtav1");
    expect(() => assertOptionsEncodable("audio", { format: "mp3" }, new Set(["aac"]))).toThrow(/libmp3lame/);
  });
});
