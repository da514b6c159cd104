// Media lifecycle (seed 003, files-and-media.md §3): metadata merges, expires/timeout, auto-deletion,
// soft delete (GET answers `deleted`, list omits, URLs stop, bytes go) and `urls` keyed by ref.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import type { Worker } from "@/lib/engine/embedded";
import { runMaintenance } from "@/lib/maintenance";
import { deleteExpiredMedia } from "@/lib/media-items/media";
import { fileKeyPrefix } from "@/lib/storage/object-key";
import { getStore } from "@/lib/storage/store";
import { call, createTestProject, dispatch, type TestProject } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker, waitForTaskDone } from "@/tests/helpers/engine";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";
import { mediaProblems } from "./sdk-clients";

vi.setConfig({ testTimeout: 60_000 });

let worker: Worker;
let source: SourceServer;

beforeAll(async () => {
  worker = startTestWorker();
  source = await startSourceServer();
  source.route("/video.mp4", { file: await mediaFixture("videoWithAudio"), contentType: "video/mp4" });
  source.route("/photo.png", { file: await mediaFixture("png"), contentType: "image/png" });
  await createTestProject();
}, 120_000);

afterAll(async () => {
  await stopTestWorker(worker);
  await source.close();
});

const bare = (p: TestProject) => ({ key: p.key, headers: { "Accept-Version": "2025-08-20" } });

async function newMedia(p: TestProject, body: Record<string, unknown> = {}) {
  const res = await call("POST", "/api/media", { ...bare(p), body });
  expect(res.status).toBe(201);
  return res.body as { id: string; metadata: Record<string, unknown> };
}

async function patch(p: TestProject, id: string, body: Record<string, unknown>) {
  return call("PATCH", `/api/media/${id}`, { ...bare(p), body });
}

/** A media item holding an ingested video (ref `original`). */
async function mediaWithVideo(p: TestProject) {
  const file = await call("POST", "/api/files", { ...bare(p), body: { url: source.url("/video.mp4"), folder: "lifecycle" } });
  expect(file.status).toBe(201);
  return file.body as { id: string; media_id: string; url: string };
}

/** Status of a delivery GET; the body is released so no file handle waits for the garbage collector. */
async function delivered(url: string): Promise<{ status: number }> {
  const response = await dispatch(new Request(url));
  await response.body?.cancel();
  return { status: response.status };
}

async function storedKeys(projectId: string, fileId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of getStore().list(fileKeyPrefix({ projectId, fileId }))) keys.push(key);
  return keys;
}

describe("PATCH /api/media/{id} metadata", () => {
  it("adds new keys, overwrites existing ones and deletes keys sent as null", async () => {
    const p = await createTestProject("2025-08-20");
    const media = await newMedia(p, { metadata: { keep: "1", change: "old", drop: "x" } });
    const res = await patch(p, media.id, { metadata: { change: "new", added: "yes", drop: null } });
    expect(res.status).toBe(200);
    expect(res.body.metadata).toEqual({ keep: "1", change: "new", added: "yes" });
    const again = await patch(p, media.id, { title: "Only the title" });
    expect(again.body).toMatchObject({ title: "Only the title", metadata: { keep: "1", change: "new", added: "yes" } });
    const got = await call("GET", `/api/media/${media.id}`, bare(p));
    expect(got.body.metadata).toEqual({ keep: "1", change: "new", added: "yes" });
  });

  it("refuses metadata that is not an object of scalar values", async () => {
    const p = await createTestProject("2025-08-20");
    const media = await newMedia(p, { metadata: { a: "1" } });
    for (const metadata of [["a"], "text", { nested: { x: 1 } }]) {
      const res = await patch(p, media.id, { metadata });
      expect(res.status, JSON.stringify(metadata)).toBe(400);
    }
    expect((await call("GET", `/api/media/${media.id}`, bare(p))).body.metadata).toEqual({ a: "1" });
  });
});

describe("expires and timeout (seed 003)", () => {
  const now = () => Date.now();

  it("timeout sets expires that many seconds from now; null clears it", async () => {
    const p = await createTestProject("2025-08-20");
    const media = await newMedia(p);
    const before = now();
    const res = await patch(p, media.id, { timeout: 3600 });
    expect(res.status).toBe(200);
    const expires = Date.parse(res.body.expires);
    expect(expires).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(now() + 3600_000 + 1000);
    const cleared = await patch(p, media.id, { timeout: null });
    expect(cleared.body.expires).toBeNull();
  });

  it("expires takes an ISO date-time and echoes it; null clears it", async () => {
    const p = await createTestProject("2025-08-20");
    const media = await newMedia(p);
    const at = new Date(now() + 2 * 3600_000);
    at.setMilliseconds(0);
    const res = await patch(p, media.id, { expires: at.toISOString() });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.expires)).toBe(at.getTime());
    expect(mediaProblems(res.body)).toEqual([]);
    // The same instant written with a +02:00 offset.
    const later = new Date(at.getTime() + 3600_000);
    const withOffset = await patch(p, media.id, { expires: new Date(later.getTime() + 2 * 3600_000).toISOString().replace("Z", "+02:00") });
    expect(withOffset.status).toBe(200);
    expect(Date.parse(withOffset.body.expires)).toBe(later.getTime());
    const cleared = await patch(p, media.id, { expires: null });
    expect(cleared.body.expires).toBeNull();
  });

  it.each([
    ["timeout below 60 s", { timeout: 59 }],
    ["timeout above 365 days", { timeout: 31_536_001 }],
    ["a fractional timeout", { timeout: 90.5 }],
    ["a string timeout", { timeout: "3600" }],
    ["expires in the past", { expires: new Date(Date.now() - 60_000).toISOString() }],
    ["expires less than 60 s ahead", { expires: new Date(Date.now() + 30_000).toISOString() }],
    ["expires more than 365 days ahead", { expires: new Date(Date.now() + 366 * 86_400_000).toISOString() }],
    ["an expires that is not a date", { expires: "next tuesday" }],
    ["both expires and timeout", { expires: new Date(Date.now() + 7200_000).toISOString(), timeout: 3600 }],
  ])("refuses %s with 400 and changes nothing", async (_label, body) => {
    const p = await createTestProject("2025-08-20");
    const media = await newMedia(p);
    const set = await patch(p, media.id, { timeout: 600 });
    const res = await patch(p, media.id, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/expires|timeout/);
    expect((await call("GET", `/api/media/${media.id}`, bare(p))).body.expires).toBe(set.body.expires);
  });

  it("accepts the bounds themselves: timeout 60 and 31536000", async () => {
    const p = await createTestProject("2025-08-20");
    const media = await newMedia(p);
    expect((await patch(p, media.id, { timeout: 60 })).status).toBe(200);
    expect((await patch(p, media.id, { timeout: 31_536_000 })).status).toBe(200);
  });
});

describe("auto-deletion when expires passes", () => {
  it("maintenance deletes expired media like DELETE does, and leaves the rest alone", async () => {
    const p = await createTestProject("2025-08-20");
    const doomed = await mediaWithVideo(p);
    const kept = await mediaWithVideo(p);
    await patch(p, kept.media_id, { timeout: 3600 });
    const prisma = await db();
    await prisma.media.update({ where: { id: doomed.media_id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await delivered(doomed.url)).status).toBe(200);

    await runMaintenance();

    const gone = await call("GET", `/api/media/${doomed.media_id}`, bare(p));
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ status: "deleted", files: [], urls: {}, expires: null });
    expect((await delivered(doomed.url)).status).toBe(404);
    expect(await storedKeys(p.projectId, doomed.id)).toEqual([]);
    expect((await call("GET", `/api/files/${doomed.id}`, bare(p))).status).toBe(404);

    const alive = await call("GET", `/api/media/${kept.media_id}`, bare(p));
    expect(alive.body.status).toBe("ready");
    expect(alive.body.files).toHaveLength(1);
    expect((await delivered(kept.url)).status).toBe(200);
    const listed = await call("GET", "/api/media", bare(p));
    expect(listed.body.map((m: { id: string }) => m.id)).toEqual([kept.media_id]);
    // Already deleted: a second pass finds nothing more to do for it.
    await prisma.media.update({ where: { id: doomed.media_id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await prisma.media.findUniqueOrThrow({ where: { id: doomed.media_id } });
    await deleteExpiredMedia();
    expect((await prisma.media.findUniqueOrThrow({ where: { id: doomed.media_id } })).deletedAt).toEqual(before.deletedAt);
  });
});

describe("DELETE /api/media/{id} (soft delete)", () => {
  it("removes every file and its bytes; GET answers status deleted with no files; the list omits it", async () => {
    const p = await createTestProject("2025-08-20");
    const video = await mediaWithVideo(p);
    const image = await call("POST", "/api/files", { ...bare(p), body: { url: source.url("/photo.png"), media_id: video.media_id, ref: "poster" } });
    expect(image.status).toBe(201);
    const other = await newMedia(p);

    const res = await call("DELETE", `/api/media/${video.media_id}`, bare(p));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: `${video.media_id} deleted` });

    const got = await call("GET", `/api/media/${video.media_id}`, bare(p));
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: video.media_id, status: "deleted", files: [], urls: {} });
    expect(mediaProblems(got.body)).toEqual([]);
    const listed = await call("GET", "/api/media", bare(p));
    expect(listed.body.map((m: { id: string }) => m.id)).toEqual([other.id]);
    const enveloped = await call("GET", "/api/media?page=1", { key: p.key, headers: { "Accept-Version": "2025-01-01" } });
    expect(enveloped.body.meta.total).toBe(1);

    for (const file of [video, image.body]) {
      expect((await delivered(file.url)).status).toBe(404);
      expect(await storedKeys(p.projectId, file.id)).toEqual([]);
      expect((await call("GET", `/api/files/${file.id}`, bare(p))).status).toBe(404);
    }
    const files = await call("GET", "/api/files", bare(p));
    expect(files.body).toEqual([]);
  });

  it("a deleted media item cannot be changed or given new work", async () => {
    const p = await createTestProject("2025-08-20");
    const video = await mediaWithVideo(p);
    await call("DELETE", `/api/media/${video.media_id}`, bare(p));
    expect((await patch(p, video.media_id, { title: "x" })).status).toBe(409);
    const attach = await call("POST", "/api/files", { ...bare(p), body: { url: source.url("/photo.png"), media_id: video.media_id } });
    expect(attach.status).toBe(404);
    const again = await call("DELETE", `/api/media/${video.media_id}`, bare(p));
    expect(again.status).toBe(200);
    expect((await call("GET", `/api/media/${video.media_id}`, bare(p))).body.status).toBe("deleted");
  });

  it("another project's media is a 404, never deleted", async () => {
    const p = await createTestProject("2025-08-20");
    const q = await createTestProject("2025-08-20");
    const media = await newMedia(p);
    expect((await call("DELETE", `/api/media/${media.id}`, bare(q))).status).toBe(404);
    expect((await call("GET", `/api/media/${media.id}`, bare(p))).body.status).not.toBe("deleted");
  });
});

describe("urls keyed by ref", () => {
  it("maps each ready file's ref to its delivery URL, including task outputs", async () => {
    const p = await createTestProject("2025-08-20");
    const video = await mediaWithVideo(p);
    const poster = await call("POST", "/api/tasks", { ...bare(p), body: { file_id: video.id, kind: "image", width: 160, format: "jpg", ref: "poster" } });
    expect(poster.status).toBe(201);
    // While the poster is processing it is not in urls yet.
    const during = await call("GET", `/api/media/${video.media_id}`, bare(p));
    expect(during.body.urls.original).toBe(video.url);
    await waitForTaskDone(poster.body.id);
    const task = await call("GET", `/api/tasks/${poster.body.id}`, bare(p));
    expect(task.body.status).toBe("completed");
    const extra = await call("POST", "/api/files", { ...bare(p), body: { url: source.url("/photo.png"), media_id: video.media_id, ref: "still", filename: "still.png" } });
    const unlabelled = await call("POST", "/api/files", { ...bare(p), body: { url: source.url("/photo.png"), media_id: video.media_id, filename: "nolabel.png" } });
    expect(unlabelled.status).toBe(201);

    const media = await call("GET", `/api/media/${video.media_id}`, bare(p));
    expect(media.body.urls).toEqual({ original: video.url, poster: task.body.output.url, still: extra.body.url });
    expect(media.body.files).toHaveLength(4);
    expect(mediaProblems(media.body)).toEqual([]);
    for (const url of Object.values(media.body.urls) as string[]) expect((await delivered(url)).status).toBe(200);

    // Renaming a ref moves its key.
    await call("PATCH", `/api/files/${extra.body.id}`, { ...bare(p), body: { ref: "thumbnail" } });
    const renamed = await call("GET", `/api/media/${video.media_id}`, bare(p));
    expect(renamed.body.urls).toEqual({ original: video.url, poster: task.body.output.url, thumbnail: extra.body.url });
  });
});
