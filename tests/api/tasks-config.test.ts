import { describe, expect, it } from "vitest";
import { call, createTestProject } from "@/tests/helpers/api";

describe("GET /api/tasks-config", () => {
  it("lists every kind with options and availability, bare in every profile", { timeout: 120_000 }, async () => {
    const p = await createTestProject("2025-01-01");
    for (const path of ["/api/tasks-config", "/api/tasks/config"]) {
      const res = await call("GET", path, { key: p.key });
      expect(res.status).toBe(200);
      expect(res.body.meta).toBeUndefined();
      expect(res.body.video).toMatchObject({ available: true, inputs: ["video"], formats: { mp4: { available: true }, webm: { available: true } }, codecs: { h264: { available: true } } });
      expect(res.body.video.options.properties).toHaveProperty("width");
      expect(res.body.ingest).toMatchObject({ available: true, aliases: ["import"] });
      expect(res.body.export).toMatchObject({ available: true, aliases: ["upload"] });
      for (const kind of ["audio", "image", "animation", "adaptive_video", "thumbnails", "probe"]) expect(res.body[kind].available, kind).toBe(true);
      for (const kind of ["speech", "subtitles", "chapters", "summary", "nsfw"]) expect(res.body[kind], kind).toMatchObject({ available: false, reason: expect.any(String) });
    }
  });

  it("answers unavailable kinds on POST /tasks with a clear 4xx that changes nothing", async () => {
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/tasks", { key: p.key, body: { kind: "speech", url: "https://example.com/a.mp3" } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: "format_unsupported", message: expect.stringContaining("not available on this server") });
    const list = await call("GET", "/api/tasks", { key: p.key });
    expect(list.body).toEqual([]);
  });

  it("refuses bad transform options with the field named", async () => {
    const p = await createTestProject("latest");
    for (const [options, field] of [
      [{ format: "mkv" }, "options.format"],
      [{ width: -5 }, "options.width"],
      [{ codec: "vp9", format: "mp4" }, "vp9"],
      [{ quality: "ultra" }, "options.quality"],
    ] as const) {
      const res = await call("POST", "/api/tasks", { key: p.key, body: { kind: "video", url: "https://example.com/a.mp4", options } });
      expect(res.status, JSON.stringify(options)).toBe(400);
      expect(res.body.message).toContain(field);
    }
  });
});
