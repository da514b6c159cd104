// Ingest from URLs and S3 connections, through POST /files and ingest tasks, against real servers.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import type { Worker } from "@/lib/engine/embedded";
import { runFfprobe } from "@/lib/media/ffmpeg";
import { createS3Client } from "@/lib/storage/s3-client";
import { call, createTestProject, data, type TestProject } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker, waitFor, waitForTaskDone } from "@/tests/helpers/engine";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";

let worker: Worker;
let source: SourceServer;
let s3: S3TestServer;

const sha = (bytes: Buffer | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  worker = startTestWorker();
  source = await startSourceServer();
  s3 = await startS3Server({ buckets: ["inbox", "outbox"] });
  source.route("/video.mp4", { file: await mediaFixture("videoWithAudio"), contentType: "video/mp4" });
  source.route("/photo.png", { file: await mediaFixture("png"), contentType: "image/png" });
  source.route("/audio.mp3", { file: await mediaFixture("audioOnly"), contentType: "audio/mpeg" });
  source.route("/page.html", { status: 200, body: "<!doctype html><html><body>hello</body></html>", contentType: "text/html" });
  source.route("/notes.txt", { status: 200, body: "just some plain text, not media at all\n".repeat(20), contentType: "text/plain" });
  source.route("/truncated.mp4", { file: await mediaFixture("truncatedMp4") });
  source.route("/empty.mp4", { file: await mediaFixture("zeroBytes") });
  source.route("/huge.png", { file: await mediaFixture("hugeDeclaredPng"), contentType: "image/png" });
  source.route("/moved", { redirect: source.url("/video.mp4") });
}, 120_000);

afterAll(async () => {
  await stopTestWorker(worker);
  await source.close();
  await s3.close();
});

async function counts(p: TestProject) {
  const prisma = await db();
  return { files: await prisma.file.count({ where: { projectId: p.projectId } }), media: await prisma.media.count({ where: { projectId: p.projectId } }) };
}

async function delivered(url: string, init?: RequestInit): Promise<Response> {
  const { dispatch } = await import("@/tests/helpers/api");
  return dispatch(new Request(url, init));
}

describe("POST /api/files (synchronous ingest, seed 004)", () => {
  it("downloads, probes and stores a video, returning the file with facts ffprobe agrees with", async () => {
    const p = await createTestProject();
    const res = await call("POST", "/api/files", { key: p.key, body: { url: source.url("/video.mp4") } });
    expect(res.status).toBe(201);
    expect(res.body.meta.type).toBe("object");
    const file = data(res);
    const truth = await runFfprobe(await mediaFixture("videoWithAudio"));
    const video = truth.streams.find((s) => s.codec_type === "video")!;
    expect(file).toMatchObject({
      object: "source",
      kind: "video",
      width: video.width,
      height: video.height,
      filesize: readFileSync(await mediaFixture("videoWithAudio")).length,
      status: "ready",
      original: true,
      ref: "original",
    });
    expect(file.type).toMatch(/^video\/mp4/);
    expect(file.duration).toBeCloseTo(Number(truth.format?.duration), 1);
    expect(file.fps).toBeCloseTo(30, 0);
    expect(file.id).toMatch(/^file_/);
    expect(file.media_id).toMatch(/^med_/);
    expect(file.url).toBe(`http://localhost:3000/f/${file.url.split("/f/")[1]!.split("/")[0]}/${file.id}.mp4`);
    const bytes = Buffer.from(await (await delivered(file.url)).arrayBuffer());
    expect(sha(bytes)).toBe(sha(readFileSync(await mediaFixture("videoWithAudio"))));
  });

  it("honours folder, filename, ref and metadata, and sanitises paths", async () => {
    const p = await createTestProject("2025-08-20");
    const res = await call("POST", "/api/files", {
      key: p.key,
      body: { url: source.url("/photo.png"), folder: "user_1234/../uploads", filename: "../../etc/passwd.png", ref: "avatar", metadata: { user: "1234" } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: "image", type: "image/png", ref: "avatar", metadata: { user: "1234" } });
    expect(res.body.folder).not.toContain("..");
    expect(res.body.filename).not.toContain("/");
    expect(res.body.url).not.toContain("..");
    const again = await call("POST", "/api/files", { key: p.key, body: { url: source.url("/photo.png"), folder: res.body.folder, filename: res.body.filename } });
    expect(again.status).toBe(409);
  });

  it("follows redirects to allowed hosts", async () => {
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/files", { key: p.key, body: { url: source.url("/moved") } });
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe("video");
  });

  it.each([
    ["/missing.mp4", "404"],
    ["/page.html", "HTML"],
    ["/notes.txt", "text"],
    ["/truncated.mp4", "truncated"],
    ["/empty.mp4", "empty"],
    ["/huge.png", "50000"],
  ])("refuses %s with a clear 4xx and stores nothing", async (path, words) => {
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/files", { key: p.key, body: { url: source.url(path) } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.message.toLowerCase()).toContain(words.toLowerCase());
    expect(await counts(p)).toEqual({ files: 0, media: 0 });
  });

  it("refuses URLs that are not http(s) or s3 with a 400 and creates nothing", async () => {
    const p = await createTestProject("latest");
    for (const url of ["file:///etc/passwd", "ftp://example.com/x.mp4", "gopher://x", "not a url"]) {
      const res = await call("POST", "/api/files", { key: p.key, body: { url } });
      expect(res.status, url).toBe(400);
    }
    const missing = await call("POST", "/api/files", { key: p.key, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("url");
    expect(await counts(p)).toEqual({ files: 0, media: 0 });
  });
});

describe("SSRF guard on ingest", () => {
  type Ports = { v4: string; v6: string };
  it.each([
    ["a loopback address outside the allow-list", (p: Ports) => `http://127.0.0.2:${p.v4}/video.mp4`],
    ["IPv6 loopback", (p: Ports) => `http://[::1]:${p.v6}/video.mp4`],
    ["an IPv4-mapped IPv6 loopback", (p: Ports) => `http://[::ffff:127.0.0.2]:${p.v4}/video.mp4`],
    ["a decimal-encoded loopback address", (p: Ports) => `http://2130706434:${p.v4}/video.mp4`],
  ])("refuses %s and never connects", async (_label, make) => {
    const canary = await startSourceServer("127.0.0.2");
    const canary6 = await startSourceServer("::1");
    try {
      const p = await createTestProject("latest");
      const url = make({ v4: new URL(canary.origin).port, v6: new URL(canary6.origin).port });
      const res = await call("POST", "/api/files", { key: p.key, body: { url } });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/refused/i);
      expect(canary.connections() + canary6.connections()).toBe(0);
      expect(await counts(p)).toEqual({ files: 0, media: 0 });
    } finally {
      await canary.close();
      await canary6.close();
    }
  });

  it("refuses a hostname that resolves to a forbidden address", async () => {
    const canary = await startSourceServer("127.0.0.1");
    // Only for this case: nothing on loopback is allowed, so `localhost` (127.0.0.1) is forbidden.
    process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS = "";
    resetEnvForTests();
    try {
      const p = await createTestProject("latest");
      const res = await call("POST", "/api/files", { key: p.key, body: { url: `http://localhost:${new URL(canary.origin).port}/video.mp4` } });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/refused.*127\.0\.0\.1.*localhost/i);
      expect(canary.connections()).toBe(0);
    } finally {
      process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS = "127.0.0.1";
      resetEnvForTests();
      await canary.close();
    }
  });

  it("refuses a redirect to a private address", async () => {
    const canary = await startSourceServer("127.0.0.2");
    try {
      canary.route("/secret", { status: 200, body: "internal" });
      source.route("/to-private", { redirect: `${canary.origin}/secret` });
      const p = await createTestProject("latest");
      const res = await call("POST", "/api/files", { key: p.key, body: { url: source.url("/to-private") } });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/refused/i);
      expect(canary.connections()).toBe(0);
    } finally {
      await canary.close();
    }
  });
});

describe("ingest tasks (asynchronous)", () => {
  it("creates a pending task, then completes with the file as output (seed 004)", async () => {
    const p = await createTestProject();
    const created = await call("POST", "/api/tasks", { key: p.key, body: { kind: "ingest", url: source.url("/video.mp4"), folder: "user_1234/uploads", filename: "custom-filename.mp4" } });
    expect(created.status).toBe(201);
    expect(data(created)).toMatchObject({ object: "task", kind: "ingest", status: expect.stringMatching(/pending|waiting|processing/) });
    await waitForTaskDone(data(created).id);
    const done = data(await call("GET", `/api/tasks/${data(created).id}`, { key: p.key }));
    expect(done.status).toBe("completed");
    expect(done.progress).toBe(100);
    expect(done.output).toMatchObject({ kind: "video", type: expect.stringMatching(/^video\/mp4/), filename: "custom-filename.mp4", status: "ready" });
    expect(done.output.url).toContain("/user_1234/uploads/custom-filename.mp4");
    const current = await call("GET", `/api/tasks/${done.id}`, { key: p.key, headers: { "Accept-Version": "latest" } });
    expect(current.body).toMatchObject({ status: "succeeded", error: null, created_at: expect.any(Number), finished_at: expect.any(Number) });
  });

  it("a retry after the task was published (its execution's completion lost in a crash) ends it without doing the work again", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/tasks", { key: p.key, body: { kind: "ingest", url: source.url("/photo.png") } });
    const done = await waitForTaskDone(created.body.id);
    expect(done.status).toBe("succeeded");
    const downloads = source.sent.get("/photo.png");
    expect(downloads).toBeGreaterThan(0);
    // As if the process died between the commit that published the file (and finished the task) and the execution's
    // own completion: the execution is back in the queue and a worker claims it again.
    const prisma = await db();
    const key = `task:${done.id}`;
    await prisma.execution.update({ where: { key }, data: { status: "queued", leaseOwner: null, leaseExpiresAt: null, runAt: new Date() } });
    worker.wake();
    const again = await waitFor(async () => {
      const row = await prisma.execution.findUniqueOrThrow({ where: { key } });
      return row.status === "completed" && row.attempt === 2 ? row : null;
    }, 10_000, "the retry to complete");
    expect(again.output).toEqual({ status: "succeeded", output: { file_id: done.outputFileId } });
    expect(source.sent.get("/photo.png")).toBe(downloads);
    expect(await prisma.task.findUniqueOrThrow({ where: { id: done.id } })).toMatchObject({ status: "succeeded", finishedAt: done.finishedAt, output: done.output });
    expect(await counts(p)).toEqual({ files: 1, media: 1 });
  });

  it("fails with a clear error for a bad source and leaves nothing behind", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/tasks", { key: p.key, body: { kind: "import", input: { url: source.url("/page.html") } } });
    expect(created.status).toBe(201);
    const done = await waitForTaskDone(created.body.id);
    expect(done.status).toBe("failed");
    const task = await call("GET", `/api/tasks/${created.body.id}`, { key: p.key });
    expect(task.body).toMatchObject({ kind: "import", status: "failed", error: { kind: "invalid_input", message: expect.stringContaining("HTML") } });
    expect(await counts(p)).toEqual({ files: 0, media: 0 });
  });

  it("probes a URL without storing it", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/tasks", { key: p.key, body: { kind: "probe", input: { url: source.url("/audio.mp3") } } });
    await waitForTaskDone(created.body.id);
    const task = await call("GET", `/api/tasks/${created.body.id}`, { key: p.key });
    expect(task.body.output).toMatchObject({ object: "file", kind: "audio", format: "mp3", has_audio: true, has_video: false });
    expect(task.body.output.codecs.audio).toMatchObject({ name: "mp3", channels: 2, sample_rate: 44100 });
    expect(await counts(p)).toEqual({ files: 0, media: 0 });
  });
});

describe("s3:// sources and destinations through connections (seed 000)", () => {
  async function s3Project() {
    const p = await createTestProject("latest");
    const inbox = await call("POST", "/api/connections", { key: p.key, body: { name: "inbox", endpoint: s3.endpoint, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey } });
    const outbox = await call("POST", "/api/connections", { key: p.key, body: { name: "outbox", endpoint: s3.endpoint, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey, is_default: false } });
    return { p, inbox: inbox.body.id as string, outbox: outbox.body.id as string };
  }
  const client = () => createS3Client({ endpoint: s3.endpoint, region: "us-east-1", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true }, { guarded: false });

  beforeAll(async () => {
    await client().send(new PutObjectCommand({ Bucket: "inbox", Key: "videos/input.mp4", Body: readFileSync(await mediaFixture("videoWithAudio")), ContentType: "video/mp4" }));
  });

  it("ingests s3:// with connection_id and exports to another connection, byte-identical", async () => {
    const { p, inbox, outbox } = await s3Project();
    const created = await call("POST", "/api/tasks", {
      key: p.key,
      body: { kind: "ingest", url: "s3://inbox/videos/input.mp4", connection_id: inbox, options: { output_connection_id: outbox }, destination: "s3://outbox/copies/input.mp4" },
    });
    expect(created.status).toBe(201);
    const done = await waitForTaskDone(created.body.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");
    const object = await client().send(new GetObjectCommand({ Bucket: "outbox", Key: "copies/input.mp4" }));
    expect(sha(await object.Body!.transformToByteArray())).toBe(sha(readFileSync(await mediaFixture("videoWithAudio"))));
    const task = await call("GET", `/api/tasks/${created.body.id}`, { key: p.key });
    expect(task.body.output.destination).toBe("s3://outbox/copies/input.mp4");
  });

  it("uses the project's default connection when none is named", async () => {
    const { p } = await s3Project();
    const res = await call("POST", "/api/files", { key: p.key, body: { url: "s3://inbox/videos/input.mp4" } });
    expect(res.status).toBe(201);
    expect(res.body.kind).toBe("video");
  });

  it("refuses s3:// without any connection, an unknown connection, and a missing object", async () => {
    const p = await createTestProject("latest");
    const none = await call("POST", "/api/files", { key: p.key, body: { url: "s3://inbox/videos/input.mp4" } });
    expect(none.status).toBe(400);
    expect(none.body.kind).toBe("connection_required");
    const unknown = await call("POST", "/api/tasks", { key: p.key, body: { kind: "ingest", url: "s3://inbox/videos/input.mp4", connection_id: "conn_doesnotexist" } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.kind).toBe("connection_not_found");
    const { p: q } = await s3Project();
    const missing = await call("POST", "/api/files", { key: q.key, body: { url: "s3://inbox/nothing/here.mp4" } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("No object at s3://inbox/nothing/here.mp4");
    expect(await counts(p)).toEqual({ files: 0, media: 0 });
  });
});
