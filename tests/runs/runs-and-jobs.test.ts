// Runs (task trees) and jobs against a loopback S3 server with two connections, checked by ffprobe.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Worker } from "@/lib/engine/embedded";
import { runFfprobe } from "@/lib/media/ffmpeg";
import { createS3Client } from "@/lib/storage/s3-client";
import { call, createTestProject, data } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker, waitFor } from "@/tests/helpers/engine";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";

let worker: Worker;
let s3: S3TestServer;
let source: SourceServer;
const client = () =>
  createS3Client({ endpoint: s3.endpoint, region: "us-east-1", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true }, { guarded: false });

beforeAll(async () => {
  worker = startTestWorker();
  s3 = await startS3Server({ buckets: ["source-bucket", "dest-bucket", "my-bucket"] });
  source = await startSourceServer();
  const big = readFileSync(await mediaFixture("video1080"));
  for (const [Bucket, Key] of [["source-bucket", "uploads/input.mp4"], ["my-bucket", "videos/input.mp4"]] as const) {
    await client().send(new PutObjectCommand({ Bucket, Key, Body: big, ContentType: "video/mp4" }));
  }
  source.route("/public/my-file.mp4", { file: await mediaFixture("video1080"), contentType: "video/mp4" });
  source.route("/small.mp4", { file: await mediaFixture("videoWithAudio"), contentType: "video/mp4" });
  source.route("/page.html", { status: 200, body: "<html>nope</html>" });
}, 120_000);

afterAll(async () => {
  await stopTestWorker(worker);
  await s3.close();
  await source.close();
});

async function twoConnections(version = "latest") {
  const p = await createTestProject(version);
  const body = { endpoint: s3.endpoint, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey };
  const src = data(await call("POST", "/api/connections", { key: p.key, body: { ...body, name: "con_source" } })).id as string;
  const dest = data(await call("POST", "/api/connections", { key: p.key, body: { ...body, name: "con_dest", is_default: false } })).id as string;
  return { p, src, dest };
}

/** Downloads an object and asks ffprobe what it is. */
async function probeObject(bucket: string, key: string) {
  const object = await client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "mediabit-out-")), path.basename(key));
  writeFileSync(file, await object.Body!.transformToByteArray());
  const probe = await runFfprobe(file);
  const video = probe.streams.find((s) => s.codec_type === "video");
  return { probe, video, audio: probe.streams.find((s) => s.codec_type === "audio") };
}

async function waitForRun(key: string, id: string) {
  return waitFor(async () => {
    const res = await call("GET", `/api/runs/${id}`, { key, headers: { "Accept-Version": "latest" } });
    return ["succeeded", "failed", "cancelled"].includes(res.body.status) ? res.body : null;
  }, 120_000, `run ${id}`);
}

async function waitForJob(key: string, id: string) {
  return waitFor(async () => {
    const res = await call("GET", `/api/jobs/${id}`, { key, headers: { "Accept-Version": "latest" } });
    return ["succeeded", "failed", "cancelled"].includes(res.body.status) ? res.body : null;
  }, 120_000, `job ${id}`);
}

describe("POST /api/runs (seed 000)", () => {
  it("ingests from one connection, transcodes to 1280 mp4 and uploads to another", async () => {
    const { p, src, dest } = await twoConnections();
    const created = await call("POST", "/api/runs", {
      key: p.key,
      body: {
        tasks: [
          {
            kind: "ingest",
            options: { connection_id: src, bucket: "source-bucket", key: "uploads/input.mp4" },
            next: [
              {
                kind: "video",
                options: { width: 1280, format: "mp4" },
                next: [{ kind: "upload", options: { connection_id: dest, bucket: "dest-bucket", key: "processed/output.mp4" } }],
              },
            ],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "run", status: expect.stringMatching(/queued|processing/) });
    expect(created.body.tasks.map((t: { kind: string }) => t.kind)).toEqual(["ingest", "video", "upload"]);
    const run = await waitForRun(p.key, created.body.id);
    expect(run.status).toBe("succeeded");
    expect(run.progress).toBe(100);
    const [ingest, video, upload] = run.tasks;
    expect(video.parent_id).toBe(ingest.id);
    expect(upload.parent_id).toBe(video.id);
    expect(upload.output.destination).toBe("s3://dest-bucket/processed/output.mp4");
    const out = await probeObject("dest-bucket", "processed/output.mp4");
    expect(out.video).toMatchObject({ codec_name: "h264", width: 1280, height: 720 });
    expect(out.audio?.codec_name).toBe("aac");
    expect(Number(out.probe.format?.duration)).toBeCloseTo(2, 0);
  });

  it("runs siblings in parallel, gates branches with conditions, and reports results", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/runs", {
      key: p.key,
      body: {
        tasks: [
          { kind: "ingest", options: { url: source.url("/small.mp4") } },
          { kind: "image", options: { start: 1, width: 160, format: "jpeg" }, ref: "poster" },
          {
            kind: "conditions",
            conditions: [{ prop: "kind", value: "video" }, { prop: "file.size", operator: "gt", value: 1000 }],
            next: [{ kind: "audio", options: { format: "mp3" } }],
          },
          { kind: "conditions", conditions: [{ prop: "kind", value: "audio" }], next: [{ kind: "thumbnails" }] },
        ],
      },
    });
    expect(created.status).toBe(201);
    const run = await waitForRun(p.key, created.body.id);
    expect(run.status).toBe("succeeded");
    const byKind = (kind: string) => run.tasks.filter((t: { kind: string }) => t.kind === kind);
    const [ingest] = byKind("ingest");
    // The top-level image and conditions took the single ingest's output (the docs' first example).
    for (const t of [...byKind("image"), ...byKind("conditions")]) expect(t.parent_id).toBe(ingest.id);
    expect(byKind("image")[0]).toMatchObject({ status: "succeeded", output: { kind: "image", type: "image/jpeg", width: 160, ref: "poster" } });
    const [pass, fail] = byKind("conditions");
    expect(pass.results).toMatchObject({ continue: true, failed: [] });
    expect(fail.results).toMatchObject({ continue: false, failed: [{ prop: "kind", actual: "video" }] });
    expect(byKind("audio")[0]).toMatchObject({ status: "succeeded", output: { kind: "audio" } });
    expect(byKind("thumbnails")[0]).toMatchObject({ status: "cancelled" });
    const media = await call("GET", `/api/media/${ingest.output.media_id ?? ingest.media_id}`, { key: p.key });
    expect(media.body.urls.poster).toMatch(/\.jpg$/);
  });

  it("fails the run when a task fails, skipping its children, and keeps siblings going", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/runs", {
      key: p.key,
      body: {
        tasks: [
          { kind: "ingest", url: source.url("/page.html"), next: [{ kind: "video", options: { width: 320 } }] },
          { kind: "ingest", url: source.url("/small.mp4") },
        ],
      },
    });
    const run = await waitForRun(p.key, created.body.id);
    expect(run.status).toBe("failed");
    expect(run.error).toContain("HTML");
    expect(run.tasks.map((t: { status: string }) => t.status)).toEqual(["failed", "cancelled", "succeeded"]);
  });

  it("validates the whole tree first and creates nothing for a bad one", async () => {
    const p = await createTestProject("latest");
    const prisma = await db();
    for (const [body, field] of [
      [{ tasks: [] }, "tasks"],
      [{ tasks: [{ kind: "ingest", url: source.url("/small.mp4"), next: [{ kind: "video", options: { width: "huge" } }] }] }, "tasks[0].next[0]"],
      [{ tasks: [{ kind: "ingest", url: source.url("/small.mp4"), next: [{ kind: "speech" }] }] }, "not available"],
      [{ tasks: [{ kind: "conditions", conditions: [] }] }, "conditions"],
      [{ tasks: [{ kind: "upload", options: { connection_id: "con_nope", bucket: "b", key: "k" } }] }, "tasks[0]"],
    ] as const) {
      const res = await call("POST", "/api/runs", { key: p.key, body });
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.message).toContain(field);
    }
    expect(await prisma.run.count({ where: { projectId: p.projectId } })).toBe(0);
    expect(await prisma.task.count({ where: { projectId: p.projectId } })).toBe(0);
  });
});

describe("POST /api/jobs (seed 001)", () => {
  it("probes, imports, encodes and exports with connection_id in options", async () => {
    const { p, src } = await twoConnections();
    const created = await call("POST", "/api/jobs", {
      key: p.key,
      body: { input: "s3://my-bucket/videos/input.mp4", kind: "video", options: { connection_id: src, width: 1280, format: "mp4" }, output: "s3://my-bucket/processed/video.mp4", metadata: { source: "api" } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "job", kind: "video", status: "queued", input: "s3://my-bucket/videos/input.mp4" });
    expect(created.body.tasks.map((t: { kind: string }) => t.kind)).toEqual(["probe", "import", "video", "export"]);
    const job = await waitForJob(p.key, created.body.id);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: "succeeded", output: "s3://my-bucket/processed/video.mp4", metadata: { source: "api" } });
    expect(job.tasks[0]).toMatchObject({ kind: "probe", status: "succeeded", input: { object: "external_file", url: "s3://my-bucket/videos/input.mp4" }, output: { width: 1920, height: 1080 } });
    expect(job.tasks[0].created_at).toBeGreaterThan(1e12);
    const out = await probeObject("my-bucket", "processed/video.mp4");
    expect(out.video).toMatchObject({ codec_name: "h264", width: 1280, height: 720 });
    const list = await call("GET", `/api/jobs?status=succeeded&kind=video&input=${encodeURIComponent("s3://my-bucket/videos/input.mp4")}`, { key: p.key });
    expect(list.body.map((j: { id: string }) => j.id)).toEqual([job.id]);
    const none = await call("GET", "/api/jobs?status=failed", { key: p.key });
    expect(none.body).toEqual([]);
  });

  it("without output, returns the delivery URL of the encoded file", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/jobs", { key: p.key, body: { input: source.url("/small.mp4"), kind: "audio", format: "mp3" } });
    const job = await waitForJob(p.key, created.body.id);
    expect(job.status).toBe("succeeded");
    expect(job.output).toMatch(/\/f\/.+\.mp3$/);
    expect(job.tasks.map((t: { kind: string }) => t.kind)).toEqual(["probe", "import", "audio"]);
  });

  it("refuses bad jobs with 400s and creates nothing", async () => {
    const p = await createTestProject("latest");
    for (const body of [{ kind: "video" }, { input: "ftp://x/y.mp4", kind: "video" }, { input: source.url("/small.mp4"), kind: "speech" }, { input: source.url("/small.mp4"), kind: "video", options: { codec: "h266" } }]) {
      const res = await call("POST", "/api/jobs", { key: p.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await (await db()).job.count({ where: { projectId: p.projectId } })).toBe(0);
  });
});

describe("tasks with destinations (seeds 000 and 002)", () => {
  it("transcodes an s3:// input with connection_id and writes the destination (seed 000)", async () => {
    const { p, src } = await twoConnections();
    const created = await call("POST", "/api/tasks", {
      key: p.key,
      body: { url: "s3://my-bucket/videos/input.mp4", connection_id: src, kind: "video", destination: "s3://my-bucket/processed/output.mp4", options: { width: 1280, format: "mp4" } },
    });
    expect(created.status).toBe(201);
    const done = await waitFor(async () => {
      const res = await call("GET", `/api/tasks/${created.body.id}`, { key: p.key });
      return ["succeeded", "failed"].includes(res.body.status) ? res.body : null;
    }, 120_000);
    expect(done.error).toBeNull();
    expect((await probeObject("my-bucket", "processed/output.mp4")).video).toMatchObject({ width: 1280, height: 720 });
  });

  it("transcodes a public URL and writes the destination (seed 002)", async () => {
    const { p, src } = await twoConnections("2025-08-20");
    const created = await call("POST", "/api/tasks", {
      key: p.key,
      body: { url: source.url("/public/my-file.mp4"), kind: "video", connection_id: src, destination: "s3://my-bucket/processed/my-file-720p.mp4", options: { width: 1280, format: "mp4" } },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe("waiting");
    await waitFor(async () => (await call("GET", `/api/tasks/${created.body.id}`, { key: p.key })).body.status === "completed", 120_000);
    expect((await probeObject("my-bucket", "processed/my-file-720p.mp4")).video).toMatchObject({ width: 1280, height: 720, codec_name: "h264" });
  });
});

describe("cancel", () => {
  it("stops ffmpeg mid-transcode and marks the task cancelled", async () => {
    source.route("/long.mp4", { file: await mediaFixture("longVideo"), contentType: "video/mp4" });
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/tasks", { key: p.key, body: { kind: "video", url: source.url("/long.mp4"), options: { codec: "h265", quality: "very_high" } } });
    await waitFor(async () => {
      const res = await call("GET", `/api/tasks/${created.body.id}`, { key: p.key });
      return res.body.progress > 35 ? res.body : null;
    }, 150_000, "the transcode to start");
    const ffmpegs = () => execFileSync("ps", ["-eo", "args"]).toString().split("\n").filter((l) => l.startsWith("ffmpeg") && l.includes("libx265")).length;
    expect(ffmpegs()).toBe(1);
    const cancelled = await call("POST", `/api/tasks/${created.body.id}/cancel`, { key: p.key });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    await waitFor(async () => ffmpegs() === 0, 10_000, "ffmpeg to exit");
    const task = await (await db()).task.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(task.status).toBe("cancelled");
    const again = await call("POST", `/api/tasks/${created.body.id}/cancel`, { key: p.key });
    expect(again.status).toBe(409);
    // The worker settles the cancelled execution, then the task's unfinished output is gone.
    const prisma = await db();
    await waitFor(async () => (await prisma.execution.findUniqueOrThrow({ where: { key: `task:${created.body.id}` } })).status === "cancelled", 10_000);
    const files = await prisma.file.findMany({ where: { projectId: p.projectId } });
    expect(files.filter((f) => f.status !== "ready")).toEqual([]);
  }, 240_000);
});
