// Delivery over real HTTP (/f/<alias>/<path>): headers, byte ranges, validators, seeking players, renames,
// deletes, signed URLs and projects that only serve signed URLs.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import type { Worker } from "@/lib/engine/embedded";
import { fileKeyPrefix } from "@/lib/storage/object-key";
import { projectSigningSecret, signPath } from "@/lib/storage/signing";
import { getStore } from "@/lib/storage/store";
import { createTestProject, type TestProject } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker } from "@/tests/helpers/engine";
import { startAppServer, type AppServer } from "@/tests/helpers/http-app";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";
import { api, ffprobeUrl, frameAt, get, sha } from "./http";

vi.setConfig({ testTimeout: 60_000 });

let worker: Worker;
let app: AppServer;
let source: SourceServer;
let video: Buffer;
let p: TestProject;
/** One ingested video everyone reads (nobody renames or deletes it). */
let shared: { id: string; url: string };

beforeAll(async () => {
  // POST /files ingests through the engine and waits for it.
  worker = startTestWorker();
  app = await startAppServer();
  source = await startSourceServer();
  const videoPath = await mediaFixture("videoWithAudio");
  video = readFileSync(videoPath);
  source.route("/video.mp4", { file: videoPath, contentType: "video/mp4" });
  source.route("/gop.mp4", { file: await mediaFixture("longGop"), contentType: "video/mp4" });
  p = await createTestProject("2025-08-20");
  shared = await ingest(p, { folder: "shared", filename: "video.mp4" });
}, 120_000);

afterAll(async () => {
  await stopTestWorker(worker);
  await app.close();
  await source.close();
});

async function ingest(project: TestProject, body: Record<string, unknown> = {}, from = "/video.mp4"): Promise<{ id: string; url: string; filesize: number }> {
  const res = await api(app.origin, "POST", "/api/files", { key: project.key, body: { url: source.url(from), ...body } });
  expect(res.status).toBe(201);
  expect(res.body.url.startsWith(`${app.origin}/f/`)).toBe(true);
  return res.body;
}

describe("GET and HEAD on a file's url", () => {
  it("answers the stored bytes with type, length, validators and caching headers", async () => {
    const res = await get(shared.url);
    expect(res.status).toBe(200);
    expect(sha(res.bytes)).toBe(sha(video));
    expect(res.headers.get("content-type")).toBe("video/mp4");
    expect(res.headers.get("content-length")).toBe(String(video.length));
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("etag")).toMatch(/^"[^"]+"$/);
    const lastModified = Date.parse(res.headers.get("last-modified") ?? "");
    expect(lastModified).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(lastModified).toBeLessThanOrEqual(Date.now());
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
  });

  it("HEAD answers the same headers and no body", async () => {
    const full = await get(shared.url);
    const head = await get(shared.url, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    for (const name of ["content-type", "content-length", "accept-ranges", "etag", "last-modified", "cache-control"]) {
      expect(head.headers.get(name), name).toBe(full.headers.get(name));
    }
  });

  it("answers 404 in JSON for a path no file has", async () => {
    const res = await get(shared.url.replace("video.mp4", "nothing.mp4"));
    expect(res.status).toBe(404);
    expect(JSON.parse(res.bytes.toString("utf8"))).toMatchObject({ message: expect.stringContaining("nothing.mp4") });
  });
});

describe("Range requests", () => {
  const cases: [string, (size: number) => string, (size: number) => [number, number]][] = [
    ["the first bytes", () => "bytes=0-99", () => [0, 99]],
    ["a middle slice", () => "bytes=1000-1999", () => [1000, 1999]],
    ["a suffix", () => "bytes=-100", (size) => [size - 100, size - 1]],
    ["an open-ended range", (size) => `bytes=${size - 500}-`, (size) => [size - 500, size - 1]],
    ["a range past the end (clamped)", (size) => `bytes=${size - 10}-${size + 1000}`, (size) => [size - 10, size - 1]],
  ];

  it.each(cases)("%s answers 206 with exactly those bytes", async (_label, header, expected) => {
    const size = video.length;
    const [start, end] = expected(size);
    const res = await get(shared.url, { Range: header(size) });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/${size}`);
    expect(res.headers.get("content-length")).toBe(String(end - start + 1));
    expect(res.headers.get("content-type")).toBe("video/mp4");
    expect(res.bytes.equals(video.subarray(start, end + 1))).toBe(true);
  });

  it("answers 416 with the size for a range that starts past the end", async () => {
    const res = await get(shared.url, { Range: `bytes=${video.length}-` });
    expect(res.status).toBe(416);
    expect(res.headers.get("content-range")).toBe(`bytes */${video.length}`);
    expect(res.bytes.length).toBe(0);
  });

  it("HEAD with a range describes the slice without sending it", async () => {
    const res = await get(shared.url, { Range: "bytes=10-19" }, "HEAD");
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes 10-19/${video.length}`);
    expect(res.bytes.length).toBe(0);
  });
});

describe("conditional requests", () => {
  it("answers 304 without a body for a matching If-None-Match, 200 for another tag", async () => {
    const etag = (await get(shared.url, {}, "HEAD")).headers.get("etag") ?? "";
    const cached = await get(shared.url, { "If-None-Match": etag });
    expect(cached.status).toBe(304);
    expect(cached.bytes.length).toBe(0);
    expect(cached.headers.get("etag")).toBe(etag);
    const weak = await get(shared.url, { "If-None-Match": `"other", W/${etag}` });
    expect(weak.status).toBe(304);
    const other = await get(shared.url, { "If-None-Match": '"not-this-one"' });
    expect(other.status).toBe(200);
    expect(other.bytes.length).toBe(video.length);
  });

  it("answers 304 for If-Modified-Since at Last-Modified, 200 for an earlier date", async () => {
    const lastModified = (await get(shared.url, {}, "HEAD")).headers.get("last-modified") ?? "";
    expect((await get(shared.url, { "If-Modified-Since": lastModified })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 3600_000).toUTCString();
    expect((await get(shared.url, { "If-Modified-Since": earlier })).status).toBe(200);
  });
});

describe("players reading over HTTP", () => {
  it("ffprobe reads the streams and duration from the URL", async () => {
    const probe = await ffprobeUrl(shared.url);
    expect(probe.streams.find((s) => s.codec_type === "video")).toMatchObject({ codec_name: "h264", width: 640, height: 360 });
    expect(probe.streams.find((s) => s.codec_type === "audio")?.codec_name).toBe("aac");
    expect(Number(probe.format.duration)).toBeCloseTo(3, 0);
  });

  it("ffmpeg seeks to the middle of a video and decodes a frame", async () => {
    const frame = await frameAt(shared.url, 1.5);
    expect(frame.length).toBe(640 * 360);
  });

  it("a seek lands on the requested time (luma encodes the timestamp)", async () => {
    // longGop: one keyframe, moov at the end, Y = 16 + 20·t — the frame at 5 s is ~116 grey, the first frame ~16.
    const gop = await ingest(p, { filename: "gop.mp4" }, "/gop.mp4");
    const mean = (bytes: Buffer) => bytes.reduce((sum, v) => sum + v, 0) / bytes.length;
    const [start, middle] = await Promise.all([frameAt(gop.url, 0), frameAt(gop.url, 5)]);
    expect(middle.length).toBe(64 * 64);
    expect(Math.abs(mean(middle) - 116)).toBeLessThan(6);
    expect(mean(start)).toBeLessThan(25);
  });
});

describe("renames and deletes", () => {
  it("PATCH /files/{id} with a new folder and filename moves the URL", async () => {
    const file = await ingest(p, { folder: "before", filename: "clip.mp4" });
    expect((await get(file.url)).status).toBe(200);
    const res = await api(app.origin, "PATCH", `/api/files/${file.id}`, { key: p.key, body: { folder: "after/here", filename: "renamed.mp4" } });
    expect(res.status).toBe(200);
    expect(res.body.url).toBe(file.url.replace("/before/clip.mp4", "/after/here/renamed.mp4"));
    expect((await get(file.url)).status).toBe(404);
    const moved = await get(res.body.url);
    expect(moved.status).toBe(200);
    expect(sha(moved.bytes)).toBe(sha(video));
  });

  it("DELETE /files/{id} removes the bytes: the URL is 404 and the store holds nothing for the file", async () => {
    const file = await ingest(p, { folder: "doomed" });
    const prisma = await db();
    const row = await prisma.file.findUniqueOrThrow({ where: { id: file.id } });
    expect(row.storageKey).toBeTruthy();
    expect(await getStore().head(row.storageKey!)).not.toBeNull();
    const res = await api(app.origin, "DELETE", `/api/files/${file.id}`, { key: p.key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: `${file.id} deleted` });
    expect((await get(file.url)).status).toBe(404);
    expect(await getStore().head(row.storageKey!)).toBeNull();
    const left: string[] = [];
    for await (const key of getStore().list(fileKeyPrefix({ projectId: p.projectId, fileId: file.id }))) left.push(key);
    expect(left).toEqual([]);
  });
});

describe("signed URLs (POST /api/signatures)", () => {
  let file: { id: string; url: string };
  let other: { id: string; url: string };
  beforeAll(async () => {
    file = await ingest(p, { folder: "private", filename: "clip.mp4" });
    other = await ingest(p, { folder: "private", filename: "other.mp4" });
  });

  async function sign(body: Record<string, unknown>, project = p): Promise<string> {
    const res = await api(app.origin, "POST", "/api/signatures", { key: project.key, body });
    expect(res.status).toBe(201);
    return res.body.url as string;
  }

  it("a valid signed URL serves the file, privately cached until it expires", async () => {
    const url = await sign({ folder: "private", filename: "clip.mp4", expiry: Math.floor(Date.now() / 1000) + 600 });
    expect(url.startsWith(file.url + "?")).toBe(true);
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(sha(res.bytes)).toBe(sha(video));
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(res.headers.get("cache-control") ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(500);
    expect(maxAge).toBeLessThanOrEqual(600);
    const ranged = await get(url, { Range: "bytes=0-9" });
    expect(ranged.status).toBe(206);
    expect(ranged.bytes.equals(video.subarray(0, 10))).toBe(true);
  });

  it("an expired signature is 403, and the API refuses to sign an expiry in the past", async () => {
    const expiry = Math.floor(Date.now() / 1000) - 5;
    const signature = signPath({ path: "private/clip.mp4", expiry, method: "get", secret: projectSigningSecret(p.projectId) });
    const res = await get(`${file.url}?expiry=${expiry}&method=get&signature=${signature}`);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.bytes.toString("utf8")).message).toMatch(/expired/i);
    const refused = await api(app.origin, "POST", "/api/signatures", { key: p.key, body: { filename: "clip.mp4", folder: "private", expiry } });
    expect(refused.status).toBe(400);
  });

  it("tampering with the path, the expiry or the signature is 403", async () => {
    const url = new URL(await sign({ folder: "private", filename: "clip.mp4" }));
    const otherPath = new URL(url);
    otherPath.pathname = new URL(other.url).pathname;
    const laterExpiry = new URL(url);
    laterExpiry.searchParams.set("expiry", String(Number(url.searchParams.get("expiry")) + 3600));
    const badSignature = new URL(url);
    const sig = url.searchParams.get("signature") ?? "";
    badSignature.searchParams.set("signature", (sig[0] === "A" ? "B" : "A") + sig.slice(1));
    const stripped = new URL(url);
    stripped.searchParams.delete("signature");
    for (const [label, tampered] of [
      ["path", otherPath],
      ["expiry", laterExpiry],
      ["signature", badSignature],
    ] as const) {
      const res = await get(tampered.href);
      expect(res.status, label).toBe(403);
      expect(res.bytes.length, label).toBeGreaterThan(0);
      expect(res.bytes.includes(video.subarray(0, 64)), label).toBe(false);
    }
    // Without a signature the public file is still public.
    expect((await get(stripped.href)).status).toBe(200);
  });

  it("a method=put URL does not read the file", async () => {
    const url = await sign({ folder: "private", filename: "clip.mp4", method: "put" });
    expect(new URL(url).searchParams.get("method")).toBe("put");
    expect((await get(url)).status).toBe(403);
    expect((await get(url, {}, "HEAD")).status).toBe(403);
    const relabelled = new URL(url);
    relabelled.searchParams.set("method", "get");
    expect((await get(relabelled.href)).status).toBe(403);
  });

  it("signs and serves paths with non-ASCII folder and file names", async () => {
    const accented = await ingest(p, { folder: "privé/été", filename: "vidéo café.mp4" });
    expect(accented.url).toMatch(/\/priv%C3%A9\/%C3%A9t%C3%A9\/vid%C3%A9o-caf%C3%A9\.mp4$/);
    const res = await api(app.origin, "POST", "/api/signatures", { key: p.key, body: { folder: "privé/été", filename: "vidéo-café.mp4" } });
    expect(res.body.url.split("?")[0]).toBe(accented.url);
    const signed = await get(res.body.url);
    expect(signed.status).toBe(200);
    expect(sha(signed.bytes)).toBe(sha(video));
  });

  it("another project's signature does not open this project's file", async () => {
    const q = await createTestProject("2025-08-20");
    const theirs = new URL(await sign({ folder: "private", filename: "clip.mp4" }, q));
    const forged = new URL(file.url);
    forged.search = theirs.search;
    expect((await get(forged.href)).status).toBe(403);
  });
});

describe('a project with delivery_access: "signed"', () => {
  it("refuses unsigned GET and HEAD with 403 and serves signed URLs", async () => {
    const q = await createTestProject("2025-08-20");
    const file = await ingest(q, { folder: "members", filename: "video.mp4" });
    expect((await get(file.url)).status).toBe(200);

    const denied = await api(app.origin, "PATCH", `/api/projects/${q.projectId}`, { key: q.key, body: { delivery_access: "signed" } });
    expect(denied.status).toBe(403);
    expect((await get(file.url)).status).toBe(200);

    const patched = await api(app.origin, "PATCH", `/api/projects/${q.projectId}`, { key: q.adminKey, body: { delivery_access: "signed" } });
    expect(patched.status).toBe(200);
    expect(patched.body.delivery_access).toBe("signed");

    const unsigned = await get(file.url);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get("cache-control")).toBe("no-store");
    expect(JSON.parse(unsigned.bytes.toString("utf8")).message).toMatch(/signed URL/i);
    expect((await get(file.url, {}, "HEAD")).status).toBe(403);
    expect((await get(file.url, { Range: "bytes=0-9" })).status).toBe(403);

    const signed = await api(app.origin, "POST", "/api/signatures", { key: q.key, body: { folder: "members", filename: "video.mp4" } });
    const res = await get(signed.body.url);
    expect(res.status).toBe(200);
    expect(sha(res.bytes)).toBe(sha(video));
    expect((await get(signed.body.url, {}, "HEAD")).status).toBe(200);

    // A signature for one path opens only that path.
    const second = await ingest(q, { folder: "members", filename: "second.mp4" });
    const borrowed = new URL(second.url);
    borrowed.search = new URL(signed.body.url).search;
    expect((await get(borrowed.href)).status).toBe(403);

    await api(app.origin, "PATCH", `/api/projects/${q.projectId}`, { key: q.adminKey, body: { delivery_access: "public" } });
    expect((await get(file.url)).status).toBe(200);
  });

  it("answers every unsigned or badly signed request with the same 403, whether the path exists or not", async () => {
    const q = await createTestProject("2025-08-20");
    const file = await ingest(q, { folder: "members", filename: "video.mp4" });
    await api(app.origin, "PATCH", `/api/projects/${q.projectId}`, { key: q.adminKey, body: { delivery_access: "signed" } });
    const missing = file.url.replace("video.mp4", "no-such-file.mp4");
    const signed = new URL((await api(app.origin, "POST", "/api/signatures", { key: q.key, body: { folder: "members", filename: "video.mp4" } })).body.url);
    const badSignature = (target: string) => {
      const url = new URL(target);
      url.search = signed.search;
      url.searchParams.set("signature", "A".repeat(43));
      return url.href;
    };
    const answers = [];
    for (const target of [file.url, missing, badSignature(file.url), badSignature(missing), `${file.url.replace("/members/video.mp4", "/nowhere/a/b")}`]) {
      const res = await get(target);
      answers.push({ status: res.status, body: res.bytes.toString("utf8") });
    }
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(answers[1]!.body).toBe(answers[0]!.body);
    expect(answers[3]!.body).toBe(answers[2]!.body);
    expect(answers[4]!.body).toBe(answers[0]!.body);
    // Signed, the missing path is a 404: its holder was given that path.
    const signedMissing = await api(app.origin, "POST", "/api/signatures", { key: q.key, body: { folder: "members", filename: "no-such-file.mp4" } });
    expect((await get(signedMissing.body.url)).status).toBe(404);
  });
});

describe("NUL in a delivery path", () => {
  it("answers 404, not 500, for %00 in the alias or the path, signed project or not", async () => {
    const alias = new URL(shared.url).pathname.split("/")[2]!;
    for (const path of [`/f/${alias}/shared/video%00.mp4`, `/f/${alias}%00/shared/video.mp4`, `/f/${alias}/%00`]) {
      const res = await get(`${app.origin}${path}`);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.bytes.toString("utf8")).kind, path).toBe("not_found");
    }
  });
});
