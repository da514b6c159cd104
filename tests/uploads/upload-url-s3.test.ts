// Upload URLs with the project store on S3: multipart and tus bytes wait on local disk (tus in <data dir>/uploads/tus)
// and end up in the bucket, read back identical through delivery, with nothing left on disk.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { createS3Client } from "@/lib/storage/s3-client";
import { resetStoreForTests } from "@/lib/storage/store";
import { tusDir } from "@/lib/uploads/tus";
import { call, createTestProject, dispatch } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";

let s3: S3TestServer;
const saved = { ...process.env };
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const client = () => createS3Client({ endpoint: s3.endpoint, region: "us-east-1", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true }, { guarded: false });

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ["upload-store"] });
  Object.assign(process.env, {
    MEDIABIT_STORAGE_URL: "s3://upload-store/mediabit",
    MEDIABIT_S3_ENDPOINT: s3.endpoint,
    MEDIABIT_S3_ACCESS_KEY_ID: s3.accessKeyId,
    MEDIABIT_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
  resetEnvForTests();
  resetStoreForTests();
});

afterAll(async () => {
  process.env = saved;
  resetEnvForTests();
  resetStoreForTests();
  await s3.close();
});

async function bucketKeys(fileId: string): Promise<string[]> {
  const out = await client().send(new ListObjectsV2Command({ Bucket: "upload-store", Prefix: "mediabit/" }));
  return (out.Contents ?? []).map((o) => o.Key ?? "").filter((key) => key.includes(fileId));
}

async function delivered(url: string): Promise<string> {
  const response = await dispatch(new Request(url));
  expect(response.status).toBe(200);
  return sha256(new Uint8Array(await response.arrayBuffer()));
}

describe("upload URLs with the store on S3", () => {
  it("puts a multipart upload and a tus upload in the bucket, bytes identical", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoWithAudio"));

    const posted = (await call("POST", "/api/uploads", { key: project.key, body: { filename: "form.mp4" } })).body;
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(video)]), "x.mp4");
    const post = await dispatch(new Request(posted.url, { method: "POST", body: form }));
    expect(post.status).toBe(200);
    const postFile = await post.json();
    expect(await bucketKeys(postFile.id)).toHaveLength(1);
    expect(await delivered(postFile.url)).toBe(sha256(video));

    const tusUpload = (await call("POST", "/api/uploads", { key: project.key, body: { filename: "tus.mp4" } })).body;
    const created = await dispatch(new Request(tusUpload.url, { method: "POST", headers: { "Tus-Resumable": "1.0.0", "Upload-Length": String(video.length) } }));
    expect(created.status).toBe(201);
    const location = created.headers.get("location")!;
    const half = video.length >> 1;
    for (const [from, to] of [
      [0, half],
      [half, video.length],
    ] as const) {
      const patched = await dispatch(
        new Request(location, {
          method: "PATCH",
          headers: { "Tus-Resumable": "1.0.0", "Upload-Offset": String(from), "Content-Type": "application/offset+octet-stream" },
          body: new Uint8Array(video.subarray(from, to)),
        }),
      );
      expect(patched.status).toBe(to === video.length ? 200 : 204);
      if (to === video.length) {
        const file = await patched.json();
        expect(await bucketKeys(file.id)).toHaveLength(1);
        expect(await delivered(file.url)).toBe(sha256(video));
      }
    }
    const tusId = location.split("/").at(-1)!;
    expect((await readdir(tusDir())).filter((name) => name.startsWith(tusId))).toEqual([]);
  });
});
