// HLS packages and thumbnail tracks over real HTTP delivery: every playlist and segment reachable through
// relative URIs, decodable, and — in a signed project — reachable only through signed playlists.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import sharp from "sharp";
import type { Worker } from "@/lib/engine/embedded";
import { createTestProject, type TestProject } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker, waitFor } from "@/tests/helpers/engine";
import { startAppServer, type AppServer } from "@/tests/helpers/http-app";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";
import { api, ffprobeUrl, get } from "./http";

vi.setConfig({ testTimeout: 60_000 });

let worker: Worker;
let app: AppServer;
let source: SourceServer;
let p: TestProject;
let input: { id: string; media_id: string };
let hls: { id: string; url: string; folder: string | null; filename: string };
let thumbs: { id: string; url: string; folder: string | null; filename: string };

async function runTask(project: TestProject, body: Record<string, unknown>) {
  const created = await api(app.origin, "POST", "/api/tasks", { key: project.key, body });
  expect(created.status).toBe(201);
  return waitFor(
    async () => {
      const task = (await api(app.origin, "GET", `/api/tasks/${created.body.id}`, { key: project.key })).body;
      return ["completed", "failed", "cancelled"].includes(task.status) ? task : null;
    },
    90_000,
    `${body.kind} task`,
  );
}

beforeAll(async () => {
  worker = startTestWorker();
  app = await startAppServer();
  source = await startSourceServer();
  source.route("/480.mp4", { file: await mediaFixture("video480"), contentType: "video/mp4" });
  p = await createTestProject("2025-08-20");
  const ingested = await api(app.origin, "POST", "/api/files", { key: p.key, body: { url: source.url("/480.mp4"), folder: "shows/pilot", filename: "pilot.mp4" } });
  expect(ingested.status).toBe(201);
  input = ingested.body;
  const [adaptive, thumbnails] = await Promise.all([
    runTask(p, { kind: "adaptive_video", file_id: input.id, ref: "hls" }),
    runTask(p, { kind: "thumbnails", file_id: input.id, ref: "thumbnails", count: 4 }),
  ]);
  expect(adaptive).toMatchObject({ status: "completed", error: null });
  expect(thumbnails).toMatchObject({ status: "completed", error: null });
  // The full File (with folder) as an SDK user reads it to sign its URL.
  hls = (await api(app.origin, "GET", `/api/files/${adaptive.output.id}`, { key: p.key })).body;
  thumbs = (await api(app.origin, "GET", `/api/files/${thumbnails.output.id}`, { key: p.key })).body;
  expect(hls.url).toBe(adaptive.output.url);
  expect(thumbs.url).toBe(thumbnails.output.url);
}, 150_000);

afterAll(async () => {
  await stopTestWorker(worker);
  await app.close();
  await source.close();
});

/** URIs of a playlist (non-comment lines) resolved against the playlist's own URL. */
function uris(text: string, base: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => new URL(line, base).href);
}

function relativeUris(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
}

async function text(url: string): Promise<{ status: number; body: string; type: string | null }> {
  const res = await get(url);
  return { status: res.status, body: res.bytes.toString("utf8"), type: res.headers.get("content-type") };
}

describe("adaptive_video package over public delivery", () => {
  it("serves the master playlist, every variant and every segment through relative URIs", async () => {
    expect(hls.url).toMatch(/\/master\.m3u8$/);
    const master = await text(hls.url);
    expect(master.status).toBe(200);
    expect(master.type).toMatch(/mpegurl/i);
    expect(master.body.startsWith("#EXTM3U")).toBe(true);
    const variantLines = relativeUris(master.body);
    expect(variantLines).toEqual(["480p.m3u8", "360p.m3u8"]);
    for (const line of variantLines) expect(line).not.toMatch(/^(\/|[a-z]+:)/i);

    let segments = 0;
    for (const variant of uris(master.body, hls.url)) {
      const playlist = await text(variant);
      expect(playlist.status, variant).toBe(200);
      expect(playlist.body).toContain("#EXT-X-ENDLIST");
      const lines = relativeUris(playlist.body);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).toMatch(/^[\w-]+\.ts$/);
      for (const segment of uris(playlist.body, variant)) {
        const res = await get(segment);
        expect(res.status, segment).toBe(200);
        expect(res.bytes.length, segment).toBeGreaterThan(1000);
        expect(res.headers.get("content-length")).toBe(String(res.bytes.length));
        segments++;
      }
      // Every segment decodes, at this rendition's height.
      const probes = await Promise.all(uris(playlist.body, variant).map((segment) => ffprobeUrl(segment)));
      for (const probe of probes) {
        expect(probe.streams.find((s) => s.codec_type === "video")).toMatchObject({ codec_name: "h264", height: variant.includes("480p") ? 480 : 360 });
        expect(probe.streams.find((s) => s.codec_type === "audio")?.codec_name).toBe("aac");
      }
    }
    expect(segments).toBe(4);
  });

  it("plays end to end: ffprobe reads the whole package from the master URL", async () => {
    const probe = await ffprobeUrl(hls.url);
    expect(probe.format.format_name).toBe("hls");
    expect(Number(probe.format.duration)).toBeCloseTo(8, 0);
  });

  it("refuses to rename a package (its segments are addressed relative to it) and keeps every URL working", async () => {
    for (const body of [{ folder: "renamed/package" }, { filename: "other.m3u8" }, { folder: null }]) {
      const res = await api(app.origin, "PATCH", `/api/files/${hls.id}`, { key: p.key, body });
      expect(res.status, JSON.stringify(body)).toBe(409);
    }
    const same = (await api(app.origin, "GET", `/api/files/${hls.id}`, { key: p.key })).body;
    expect(same).toMatchObject({ url: hls.url, folder: hls.folder, filename: hls.filename });
    const master = await text(hls.url);
    expect(master.status).toBe(200);
    const variant = uris(master.body, hls.url)[0]!;
    expect((await text(variant)).status).toBe(200);
    // Its ref and metadata still change.
    const relabelled = await api(app.origin, "PATCH", `/api/files/${hls.id}`, { key: p.key, body: { metadata: { season: "1" } } });
    expect(relabelled.status).toBe(200);
    expect(relabelled.body.metadata).toEqual({ season: "1" });
  });

  it("the media lists the package under its ref", async () => {
    const media = await api(app.origin, "GET", `/api/media/${input.media_id}`, { key: p.key });
    expect(media.body.urls).toMatchObject({ original: expect.stringMatching(/\/shows\/pilot\/pilot\.mp4$/), hls: hls.url, thumbnails: thumbs.url });
  });
});

describe("thumbnails track over delivery", () => {
  it("serves the VTT, and its sprite through the relative sprite.jpg#xywh= reference", async () => {
    const vtt = await text(thumbs.url);
    expect(vtt.status).toBe(200);
    expect(vtt.type).toMatch(/^text\/vtt/);
    expect(vtt.body.startsWith("WEBVTT")).toBe(true);
    const refs = [...vtt.body.matchAll(/^(sprite\.jpg)#xywh=(\d+),(\d+),(\d+),(\d+)$/gm)];
    expect(refs).toHaveLength(4);
    const sprite = await get(new URL(refs[0]![1]!, thumbs.url).href);
    expect(sprite.status).toBe(200);
    expect(sprite.headers.get("content-type")).toBe("image/jpeg");
    const meta = await sharp(sprite.bytes).metadata();
    expect(meta.format).toBe("jpeg");
    // Every tile lies inside the sprite.
    for (const ref of refs) {
      const [x, y, w, h] = ref.slice(2, 6).map(Number) as [number, number, number, number];
      expect(x + w).toBeLessThanOrEqual(meta.width ?? 0);
      expect(y + h).toBeLessThanOrEqual(meta.height ?? 0);
    }
  });
});

describe('the package in a project with delivery_access: "signed"', () => {
  beforeAll(async () => {
    const patched = await api(app.origin, "PATCH", `/api/projects/${p.projectId}`, { key: p.adminKey, body: { delivery_access: "signed" } });
    expect(patched.status).toBe(200);
  });

  it("refuses the unsigned master, a variant and a segment", async () => {
    const master = await get(hls.url);
    expect(master.status).toBe(403);
    expect((await get(new URL("480p.m3u8", hls.url).href)).status).toBe(403);
    expect((await get(new URL("480p_000.ts", hls.url).href)).status).toBe(403);
    expect((await get(thumbs.url)).status).toBe(403);
  });

  it("a master signed for its folder/filename hands out playlists whose URIs carry signatures, and every segment loads", async () => {
    const signature = await api(app.origin, "POST", "/api/signatures", { key: p.key, body: { folder: hls.folder ?? undefined, filename: hls.filename } });
    expect(signature.status).toBe(201);
    expect(signature.body.url.split("?")[0]).toBe(hls.url);
    const master = await text(signature.body.url);
    expect(master.status).toBe(200);
    const variants = uris(master.body, signature.body.url);
    expect(variants).toHaveLength(2);
    let unsignedSegment: string | undefined;
    let segments = 0;
    for (const variant of variants) {
      expect(new URL(variant).searchParams.get("signature")).toMatch(/^[\w-]{43}$/);
      const playlist = await text(variant);
      expect(playlist.status, variant).toBe(200);
      for (const segment of uris(playlist.body, variant)) {
        const url = new URL(segment);
        expect(url.searchParams.get("signature"), segment).toMatch(/^[\w-]{43}$/);
        const res = await get(segment);
        expect(res.status, segment).toBe(200);
        expect(res.bytes.length).toBeGreaterThan(1000);
        segments++;
        url.search = "";
        unsignedSegment = url.href;
      }
    }
    expect(segments).toBe(4);
    expect((await get(unsignedSegment!)).status).toBe(403);
    // A player reads the signed package end to end.
    const probe = await ffprobeUrl(signature.body.url);
    expect(Number(probe.format.duration)).toBeCloseTo(8, 0);
  });

  it("HEAD on a signed playlist describes the body GET sends (the rewritten one)", async () => {
    const signature = await api(app.origin, "POST", "/api/signatures", { key: p.key, body: { folder: hls.folder ?? undefined, filename: hls.filename } });
    const body = await get(signature.body.url);
    const head = await get(signature.body.url, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(head.headers.get("content-type")).toBe(body.headers.get("content-type"));
    expect(head.headers.get("content-length")).toBe(String(body.bytes.length));
  });

  it("a signature for the package does not open the project's other files", async () => {
    const signature = await api(app.origin, "POST", "/api/signatures", { key: p.key, body: { folder: hls.folder ?? undefined, filename: hls.filename } });
    const master = await text(signature.body.url);
    const query = new URL(uris(master.body, signature.body.url)[0]!).search;
    const original = (await api(app.origin, "GET", `/api/files/${input.id}`, { key: p.key })).body.url as string;
    expect((await get(`${original}${query}`)).status).toBe(403);
    expect((await get(`${thumbs.url}${query}`)).status).toBe(403);
  });

  it("a signed VTT lets the sprite load through its signed relative reference", async () => {
    const signature = await api(app.origin, "POST", "/api/signatures", { key: p.key, body: { folder: thumbs.folder ?? undefined, filename: thumbs.filename } });
    expect(signature.body.url.split("?")[0]).toBe(thumbs.url);
    const vtt = await text(signature.body.url);
    expect(vtt.status).toBe(200);
    expect(vtt.body.startsWith("WEBVTT")).toBe(true);
    const refs = [...vtt.body.matchAll(/^(sprite\.jpg\?[^#\s]+)#xywh=\d+,\d+,\d+,\d+$/gm)];
    expect(refs).toHaveLength(4);
    const sprite = await get(new URL(refs[0]![1]!, signature.body.url).href);
    expect(sprite.status).toBe(200);
    expect((await sharp(sprite.bytes).metadata()).format).toBe("jpeg");
    expect((await get(new URL("sprite.jpg", thumbs.url).href)).status).toBe(403);
  });
});
