// The same ingest → transform → deliver → delete path with the project store on S3
// (MEDIABIT_STORAGE_URL) instead of local disk.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import type { Worker } from "@/lib/engine/embedded";
import { createS3Client } from "@/lib/storage/s3-client";
import { resetStoreForTests } from "@/lib/storage/store";
import { call, createTestProject, dispatch } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker, waitForTaskDone } from "@/tests/helpers/engine";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";

let s3: S3TestServer;
let source: SourceServer;
let worker: Worker;
const saved = { ...process.env };
const client = () => createS3Client({ endpoint: s3.endpoint, region: "us-east-1", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true }, { guarded: false });

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ["project-store"] });
  Object.assign(process.env, {
    MEDIABIT_STORAGE_URL: "s3://project-store/mediabit",
    MEDIABIT_S3_ENDPOINT: s3.endpoint,
    MEDIABIT_S3_ACCESS_KEY_ID: s3.accessKeyId,
    MEDIABIT_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
  resetEnvForTests();
  resetStoreForTests();
  source = await startSourceServer();
  source.route("/video.mp4", { file: await mediaFixture("videoWithAudio"), contentType: "video/mp4" });
  worker = startTestWorker();
});

afterAll(async () => {
  await stopTestWorker(worker);
  process.env = saved;
  resetEnvForTests();
  resetStoreForTests();
  await source.close();
  await s3.close();
});

async function keys(): Promise<string[]> {
  const out = await client().send(new ListObjectsV2Command({ Bucket: "project-store", Prefix: "mediabit/" }));
  return (out.Contents ?? []).map((o) => o.Key ?? "");
}

describe("project store on S3", () => {
  it("stores ingests and outputs in the bucket, serves ranges from it, and deletes them", async () => {
    const p = await createTestProject("latest");
    const file = await call("POST", "/api/files", { key: p.key, body: { url: source.url("/video.mp4") } });
    expect(file.status).toBe(201);
    const stored = (await keys()).filter((k) => k.includes(file.body.id));
    expect(stored).toHaveLength(1);
    const head = await client().send(new HeadObjectCommand({ Bucket: "project-store", Key: stored[0]! }));
    expect(head.ContentLength).toBe(file.body.filesize);

    const original = readFileSync(await mediaFixture("videoWithAudio"));
    const range = await dispatch(new Request(file.body.url, { headers: { Range: "bytes=1000-1999" } }));
    expect(range.status).toBe(206);
    expect(createHash("sha256").update(Buffer.from(await range.arrayBuffer())).digest("hex")).toBe(createHash("sha256").update(original.subarray(1000, 2000)).digest("hex"));

    const task = await call("POST", "/api/tasks", { key: p.key, body: { kind: "adaptive_video", file_id: file.body.id } });
    const done = await waitForTaskDone(task.body.id, 120_000);
    expect(done.status).toBe("succeeded");
    const hls = (await keys()).filter((k) => k.includes(done.outputFileId!));
    expect(hls.some((k) => k.endsWith("master.m3u8"))).toBe(true);
    expect(hls.filter((k) => k.endsWith(".ts")).length).toBeGreaterThan(0);

    await call("DELETE", `/api/files/${file.body.id}`, { key: p.key });
    expect((await keys()).filter((k) => k.includes(file.body.id))).toEqual([]);
    expect((await dispatch(new Request(file.body.url))).status).toBe(404);
  }, 120_000);
});
