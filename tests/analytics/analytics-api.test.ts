// GET /api/analytics, /api/analytics/media/{id}, /api/analytics/projects/{id}: delivery counted from real answers of
// /f (whole, Range, HEAD, 304, an abandoned download), storage and processing from the database, field-named 400s,
// another organisation's project a 404, and each profile's envelope.
import { copyFile, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { flushDeliveryStats } from "@/lib/analytics/delivery-counter";
import { db } from "@/lib/db/client";
import { scratchDir } from "@/lib/files/scratch";
import { newId, randomToken } from "@/lib/ids";
import { publishUpload } from "@/lib/uploads/publish";
import { createUploadUrl } from "@/lib/uploads/uploads";
import { call, createTestProject, data, dispatch, type TestProject } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";

const ORIGIN = "http://localhost:3000";

type Stored = { fileId: string; mediaId: string; url: string; size: number };

async function storeVideo(project: TestProject, filename: string): Promise<Stored> {
  await mkdir(scratchDir(), { recursive: true });
  const copy = path.join(scratchDir(), `analytics-${randomToken(8)}`);
  await copyFile(await mediaFixture("videoWithAudio"), copy);
  const size = (await stat(copy)).size;
  const scope = { orgId: project.orgId, projectId: project.projectId };
  const created = await createUploadUrl(scope, { filename, folder: "clips" }, { kind: "session", origin: ORIGIN });
  const { file } = await publishUpload(created.upload.id, { path: copy, size });
  return { fileId: file.id, mediaId: file.mediaId, url: `${ORIGIN}/f/${file.project.alias}/${file.path}`, size };
}

/** Reads a delivery answer's body to its end; its length. */
async function fetchBytes(url: string, init: RequestInit = {}): Promise<{ status: number; length: number; headers: Headers }> {
  const response = await dispatch(new Request(url, init));
  const length = response.body ? (await response.arrayBuffer()).byteLength : 0;
  return { status: response.status, length, headers: response.headers };
}

async function analytics(project: TestProject, pathAndQuery: string, key = project.key) {
  return call("GET", pathAndQuery, { key, headers: { "Accept-Version": "latest" } });
}

describe("GET /api/analytics after real deliveries", () => {
  let p: TestProject;
  let video: Stored;
  let other: Stored;
  let expected: { requests: number; bytes: number };

  beforeAll(async () => {
    p = await createTestProject("latest");
    video = await storeVideo(p, "counted.mp4");
    other = await storeVideo(p, "quiet.mp4");

    const whole = await fetchBytes(video.url);
    expect([whole.status, whole.length]).toEqual([200, video.size]);
    const range = await fetchBytes(video.url, { headers: { Range: "bytes=100-1099" } });
    expect([range.status, range.length]).toEqual([206, 1000]);
    const head = await fetchBytes(video.url, { method: "HEAD" });
    expect([head.status, head.length]).toEqual([200, 0]);
    const notModified = await fetchBytes(video.url, { headers: { "If-None-Match": whole.headers.get("etag")! } });
    expect([notModified.status, notModified.length]).toEqual([304, 0]);
    // A player that reads one chunk and goes: only what it took counts.
    const abandoned = await dispatch(new Request(video.url));
    const reader = abandoned.body!.getReader();
    const first = await reader.read();
    await reader.cancel();
    const taken = first.value!.byteLength;
    expect(taken).toBeLessThan(video.size);
    // A missing path counts nothing.
    expect((await fetchBytes(video.url.replace("counted.mp4", "missing.mp4"))).status).toBe(404);

    expected = { requests: 5, bytes: video.size + 1000 + taken };
    await flushDeliveryStats();
  }, 120_000);

  it("answers delivery bytes and requests, storage of ready files and one series point per day", async () => {
    const res = await analytics(p, "/api/analytics");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: "analytics",
      project_id: p.projectId,
      interval: "day",
      storage_bytes: video.size + other.size,
      delivery_bytes: expected.bytes,
      requests: expected.requests,
      task_seconds: 0,
      tasks: {},
    });
    // The default window: the last 30 days, whole UTC days, today last.
    expect(res.body.series).toHaveLength(31);
    const today = new Date(new Date().toISOString().slice(0, 10)).toISOString();
    expect(res.body.series.at(-1)).toEqual({ t: today, delivery_bytes: expected.bytes, requests: expected.requests });
    expect(res.body.series.slice(0, -1).every((point: { requests: number }) => point.requests === 0)).toBe(true);
  });

  it("adds the next flush's counts onto the stored ones", async () => {
    const again = await fetchBytes(video.url, { headers: { Range: "bytes=0-9" } });
    expect(again.length).toBe(10);
    expect(await flushDeliveryStats()).toBe(1);
    const res = await analytics(p, "/api/analytics");
    expect(res.body).toMatchObject({ delivery_bytes: expected.bytes + 10, requests: expected.requests + 1 });
    expected = { requests: expected.requests + 1, bytes: expected.bytes + 10 };
  });

  it("answers one media item's delivery and storage, and zero for an item nobody fetched", async () => {
    const res = await analytics(p, `/api/analytics/media/${video.mediaId}?interval=hour&from=${new Date(Date.now() - 2 * 3_600_000).toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ media_id: video.mediaId, storage_bytes: video.size, delivery_bytes: expected.bytes, requests: expected.requests });
    expect(res.body.series).toHaveLength(3);
    const quiet = await analytics(p, `/api/analytics/media/${other.mediaId}`);
    expect(quiet.body).toMatchObject({ media_id: other.mediaId, storage_bytes: other.size, delivery_bytes: 0, requests: 0 });
  });

  it("answers a window before any delivery with zeros", async () => {
    const res = await analytics(p, "/api/analytics?from=2026-01-01&to=2026-03-01&interval=month");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: "2026-01-01T00:00:00.000Z", to: "2026-03-01T00:00:00.000Z", delivery_bytes: 0, requests: 0 });
    expect(res.body.series.map((point: { t: string }) => point.t)).toEqual(["2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"]);
  });

  it("keeps a deleted media item's delivery history", async () => {
    expect((await fetchBytes(other.url)).length).toBe(other.size);
    await flushDeliveryStats();
    const del = await call("DELETE", `/api/media/${other.mediaId}`, { key: p.key });
    expect(del.status).toBe(200);
    const res = await analytics(p, `/api/analytics/media/${other.mediaId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ storage_bytes: 0, delivery_bytes: other.size, requests: 1 });
    const project = await analytics(p, "/api/analytics");
    expect(project.body).toMatchObject({ storage_bytes: video.size, delivery_bytes: expected.bytes + other.size, requests: expected.requests + 1 });
  });
});

describe("GET /api/analytics processing figures", () => {
  it("counts tasks created in the window by kind and the seconds they ran", async () => {
    const p = await createTestProject("latest");
    const prisma = await db();
    // One instant for every timestamp: reading the clock per call made durations drift by a millisecond.
    const base = Date.now() - 3_600_000;
    const at = (offsetMs: number) => new Date(base + offsetMs);
    const task = (kind: string, times: { startedAt?: Date; finishedAt?: Date; createdAt?: Date }, mediaId?: string) =>
      prisma.task.create({ data: { id: newId("task"), projectId: p.projectId, kind, input: {}, status: times.finishedAt ? "succeeded" : "processing", mediaId, ...times } });
    const media = await call("POST", "/api/media", { key: p.key, body: { title: "one" } });
    await task("video", { startedAt: at(0), finishedAt: at(3_000) }, media.body.id);
    await task("video", { startedAt: at(0), finishedAt: at(1_500) });
    await task("image", { startedAt: at(0) });
    // Created before the window: not counted.
    await task("audio", { createdAt: new Date("2020-01-01T00:00:00Z"), startedAt: new Date("2020-01-01T00:00:00Z"), finishedAt: new Date("2020-01-01T01:00:00Z") });

    const res = await analytics(p, "/api/analytics");
    expect(res.body).toMatchObject({ task_seconds: 4.5, tasks: { video: 2, image: 1 } });
    expect(res.body.tasks.audio).toBeUndefined();
    const one = await analytics(p, `/api/analytics/media/${media.body.id}`);
    expect(one.body).toMatchObject({ task_seconds: 3, tasks: { video: 1 } });
  });
});

describe("GET /api/analytics/projects/{id}", () => {
  it("answers a project of the key's organisation to an admin key, and the key's own project to any key", async () => {
    const p = await createTestProject("latest");
    const sibling = await call("POST", "/api/projects", { key: p.adminKey, body: { name: "Sibling" } });
    expect(sibling.status).toBe(201);
    const res = await analytics(p, `/api/analytics/projects/${sibling.body.id}`, p.adminKey);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ project_id: sibling.body.id, storage_bytes: 0, requests: 0 });
    const own = await analytics(p, `/api/analytics/projects/${p.projectId}`);
    expect(own.status).toBe(200);
    expect(own.body.project_id).toBe(p.projectId);
  });

  it("refuses another project to a key that is not an admin key", async () => {
    const p = await createTestProject("latest");
    const sibling = await call("POST", "/api/projects", { key: p.adminKey, body: { name: "Sibling" } });
    const res = await analytics(p, `/api/analytics/projects/${sibling.body.id}`);
    expect(res.status).toBe(403);
    expect(res.body.kind).toBe("admin_required");
  });

  it("answers 404 for another organisation's project", async () => {
    const p = await createTestProject("latest");
    const stranger = await createTestProject("latest");
    const res = await analytics(p, `/api/analytics/projects/${stranger.projectId}`, p.adminKey);
    expect(res.status).toBe(404);
    expect(res.body.kind).toBe("project_not_found");
  });

  it("answers 404 for another project's media item", async () => {
    const p = await createTestProject("latest");
    const stranger = await createTestProject("latest");
    const theirs = await call("POST", "/api/media", { key: stranger.key, body: { title: "theirs" } });
    const res = await analytics(p, `/api/analytics/media/${theirs.body.id}`);
    expect(res.status).toBe(404);
    expect(res.body.kind).toBe("media_not_found");
  });
});

describe("GET /api/analytics with bad parameters", () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await createTestProject("latest");
  });

  const cases: [string, string, RegExp][] = [
    ["a date that is not ISO", "from=yesterday", /ISO 8601/],
    ["an impossible date", "to=2026-02-30T00:00:00Z", /ISO 8601/],
    ["an unknown interval", "interval=week", /hour, day or month/],
    ["from after to", "from=2026-12-02&to=2026-12-01", /after `to`/],
    ["more buckets than allowed", "from=2025-01-01&to=2026-01-01&interval=hour", /more than 1000 hour buckets/],
    ["an unknown parameter", "start=2026-01-01", /unknown field/],
  ];
  const fields = ["from", "to", "interval", "from", "interval", "start"];

  cases.forEach(([name, query, message], i) => {
    it(`answers 400 naming the field for ${name}`, async () => {
      const res = await analytics(p, `/api/analytics?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.kind).toBe("request_invalid");
      expect(res.body.errors).toEqual([{ field: fields[i], message: expect.stringMatching(message) }]);
    });
  });

  it("accepts a window of exactly 1000 hourly buckets", async () => {
    const res = await analytics(p, "/api/analytics?from=2026-01-01T00:00:00Z&to=2026-02-11T16:00:00Z&interval=hour");
    expect(res.status).toBe(200);
    expect(res.body.series).toHaveLength(1000);
  });
});

describe("GET /api/analytics in each profile", () => {
  it("wraps the object in the enveloped profile and answers it bare in the others", async () => {
    const p = await createTestProject("2025-01-01");
    const enveloped = await call("GET", "/api/analytics?interval=month", { key: p.key });
    expect(enveloped.status).toBe(200);
    expect(enveloped.body).toMatchObject({ meta: { type: "object", project_id: p.projectId }, error: null, data: { object: "analytics", storage_bytes: 0 } });
    const bare = await call("GET", "/api/analytics?interval=month", { key: p.key, headers: { "Accept-Version": "2025-08-20" } });
    expect(bare.body.meta).toBeUndefined();
    expect(bare.body).toEqual(data(enveloped));
    const error = await call("GET", "/api/analytics?interval=week", { key: p.key });
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({ data: null, error: { kind: "request_invalid", errors: [{ field: "interval" }] } });
  });
});
