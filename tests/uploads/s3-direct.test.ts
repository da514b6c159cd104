// Dashboard uploads straight to the bucket: the real @uppy/aws-s3 plugin (in Node, on a fetch-backed XMLHttpRequest)
// configured by components/media/s3-direct.ts uploads to the loopback S3 server with URLs our service signs; the
// server then checks, publishes and cleans up. The session layer (server actions) is covered in s3-direct-session.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, openAsBlob } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Uppy from "@uppy/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { configureS3Direct, type PublishedS3Upload, type S3DirectCalls } from "@/components/media/s3-direct";
import { AppError } from "@/lib/api/errors";
import { actionFailure } from "@/lib/dashboard/action-result";
import { db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { deliveryUrl } from "@/lib/files/render";
import { newId } from "@/lib/ids";
import { runMaintenance } from "@/lib/maintenance";
import { getStore, resetStoreForTests } from "@/lib/storage/store";
import {
  completeDirectUpload,
  createDirectUpload,
  directUploadsEnabled,
  signDirectRequest,
  sweepDirectUploads,
  ZCompleteDirectUpload,
  ZCreateDirectUpload,
  ZSignDirectRequest,
  type DirectUploadScope,
} from "@/lib/uploads/s3-direct";
import { createTestProject, dispatch } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { openUploads, startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";
import { installXMLHttpRequest } from "./s3-direct-xhr";

// next-auth loads only inside Next.js: the uploader's default calls (the server actions) are replaced by `calls` here.
vi.mock("@/lib/dashboard/actions/s3-uploads", () => {
  const unused = () => Promise.reject(new Error("the test passes its own calls"));
  return { createS3UploadAction: unused, signS3RequestAction: unused, completeS3UploadAction: unused };
});

const BUCKET = "direct-store";
const PREFIX = "mb";
const MB = 1024 * 1024;

let s3: S3TestServer;
let workDir: string;
let uninstallXhr: () => void;
const saved = { ...process.env };

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [BUCKET] });
  Object.assign(process.env, {
    MEDIABIT_STORAGE_URL: `s3://${BUCKET}/${PREFIX}`,
    MEDIABIT_S3_ENDPOINT: s3.endpoint,
    MEDIABIT_S3_ACCESS_KEY_ID: s3.accessKeyId,
    MEDIABIT_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
  resetEnvForTests();
  resetStoreForTests();
  uninstallXhr = installXMLHttpRequest();
  workDir = await mkdtemp(path.join(os.tmpdir(), "mediabit-s3-direct-"));
});

afterAll(async () => {
  uninstallXhr();
  process.env = saved;
  resetEnvForTests();
  resetStoreForTests();
  await s3.close();
  await rm(workDir, { recursive: true, force: true });
});

/** A real MP4 of incompressible frames, a bit over 12 MB: three parts of at least 5 MB, the last smaller. */
async function noisyVideo(): Promise<string> {
  const output = path.join(workDir, "noise.mp4");
  const filter = "testsrc2=size=640x360:rate=25,noise=alls=60:allf=t";
  // mpeg4 at the finest quantiser keeps the noise: ~300 KB a frame for almost no encoding time.
  await promisify(execFile)("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", filter, "-frames:v", "40", "-c:v", "mpeg4", "-q:v", "1", "-pix_fmt", "yuv420p", output]);
  return output;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function sha256Body(response: Response): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest("hex");
}

async function uploader(): Promise<{ projectId: string; scope: DirectUploadScope }> {
  const { projectId, orgId } = await createTestProject("latest");
  return { projectId, scope: { projectId, orgId, userId: newId("usr") } };
}

type Signed = { method: string; uploadId?: string; partNumber?: number };

/** The service behind the server actions, with the project's scope standing in for the session; records what was signed. */
function directCalls(scope: DirectUploadScope, signed: Signed[] = []): S3DirectCalls {
  const asAction = async <T extends object>(run: () => Promise<T>) => {
    try {
      return { ok: true as const, ...(await run()) };
    } catch (error) {
      return actionFailure(error);
    }
  };
  return {
    create: ({ projectId: _p, ...input }) => asAction(() => createDirectUpload(scope, ZCreateDirectUpload.parse(input))),
    sign: ({ projectId: _p, ...input }) =>
      asAction(() => {
        const parsed = ZSignDirectRequest.parse(input);
        signed.push({ method: parsed.request.method, uploadId: parsed.request.uploadId, partNumber: parsed.request.partNumber });
        return signDirectRequest(scope, parsed);
      }),
    complete: ({ projectId: _p, ...input }) =>
      asAction(async () => {
        const { file, created } = await completeDirectUpload(scope, ZCompleteDirectUpload.parse(input));
        return { fileId: file.id, mediaId: file.mediaId, path: file.path, created };
      }),
  };
}

/** Uploads `files` through a fresh Uppy with the direct path installed, as the dashboard does. */
async function uploadWithUppy(projectId: string, calls: S3DirectCalls, files: { name: string; type: string; data: Blob; meta?: { folder: string } }[], folder?: string) {
  const uppy = new Uppy();
  const published: PublishedS3Upload[] = [];
  configureS3Direct(uppy, { projectId, folder, calls, onPublished: (_file, result) => published.push(result) });
  for (const file of files) uppy.addFile({ ...file, source: "test" });
  const result = await uppy.upload();
  uppy.destroy();
  return { result, published };
}

async function stagedKeys(projectId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of getStore().list(`projects/${projectId}/uploads/`)) keys.push(key);
  return keys;
}

/** Starts a multipart upload at a URL the service signed, as the plugin's first request does; returns its id. */
async function startMultipart(scope: DirectUploadScope, uploadId: string, key: string): Promise<string> {
  const { url } = await signDirectRequest(scope, { uploadId, request: { method: "POST", key } });
  const response = await fetch(url, { method: "POST" });
  expect(response.status).toBe(200);
  const s3UploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await response.text())?.[1];
  expect(s3UploadId).toBeTruthy();
  return s3UploadId!;
}

describe("direct uploads to the bucket", () => {
  it("uploads a 12 MB video in three parts with the real Uppy plugin; the file ends ready, bytes identical via delivery", async () => {
    const { projectId, scope } = await uploader();
    const video = await noisyVideo();
    const size = (await stat(video)).size;
    expect(size).toBeGreaterThan(10 * MB);
    expect(size).toBeLessThan(15 * MB);
    const signed: Signed[] = [];

    const { result, published } = await uploadWithUppy(projectId, directCalls(scope, signed), [{ name: "noise.mp4", type: "video/mp4", data: await openAsBlob(video, { type: "video/mp4" }) }], "inbox");

    expect(result?.failed).toEqual([]);
    expect(result?.successful).toHaveLength(1);
    expect(signed.map((s) => `${s.method}${s.partNumber ? ` ${s.partNumber}` : ""}${s.uploadId ? "" : " (create)"}`)).toEqual(["POST (create)", "PUT 1", "PUT 2", "PUT 3", "POST"]);
    expect(published).toHaveLength(1);
    const prisma = await db();
    const file = await prisma.file.findUniqueOrThrow({ where: { id: published[0]!.fileId }, include: { project: { select: { alias: true } } } });
    expect(file).toMatchObject({ status: "ready", kind: "video", path: "inbox/noise.mp4", filesize: BigInt(size), width: 640, height: 360 });
    const delivered = await dispatch(new Request(deliveryUrl("http://localhost:3000", file.project.alias, file.path)));
    expect(delivered.status).toBe(200);
    expect(await sha256Body(delivered)).toBe(await sha256File(video));

    const upload = await prisma.upload.findFirstOrThrow({ where: { projectId, kind: "s3" } });
    expect(upload).toMatchObject({ status: "completed", fileId: file.id, storageKey: null, createdBy: scope.userId });
    expect(upload.s3UploadId).toBeTruthy();
    expect(await stagedKeys(projectId)).toEqual([]);
    expect(await openUploads(s3, BUCKET, `${PREFIX}/projects/${projectId}/`)).toEqual([]);
  }, 120_000);

  it("signs only its own object and its own multipart upload: other keys, ids and single PUTs are 403, other people's uploads 404", async () => {
    const { projectId, scope } = await uploader();
    const { uploadId, key } = await createDirectUpload(scope, { filename: "clip.mp4", size: 6 * MB });
    expect(key).toBe(`${PREFIX}/projects/${projectId}/uploads/${uploadId}/clip.mp4`);
    const forbidden = { status: 403 };

    const elsewhere = `${PREFIX}/projects/${projectId}/files/file_x/clip.mp4`;
    await expect(signDirectRequest(scope, { uploadId, request: { method: "POST", key: elsewhere } })).rejects.toMatchObject(forbidden);
    await expect(signDirectRequest(scope, { uploadId, request: { method: "PUT", key } })).rejects.toMatchObject(forbidden);
    await expect(signDirectRequest(scope, { uploadId, request: { method: "DELETE", key } })).rejects.toMatchObject(forbidden);

    // Another upload's real multipart upload cannot be continued through this one.
    const other = await createDirectUpload(scope, { filename: "other.mp4", size: 6 * MB });
    const otherS3Id = await startMultipart(scope, other.uploadId, other.key);
    await expect(signDirectRequest(scope, { uploadId, request: { method: "PUT", key, uploadId: otherS3Id, partNumber: 1 } })).rejects.toMatchObject(forbidden);
    await expect(signDirectRequest(scope, { uploadId, request: { method: "PUT", key: other.key, uploadId: otherS3Id, partNumber: 1 } })).rejects.toMatchObject(forbidden);

    const s3UploadId = await startMultipart(scope, uploadId, key);
    const part = await signDirectRequest(scope, { uploadId, request: { method: "PUT", key, uploadId: s3UploadId, partNumber: 1 } });
    expect(new URL(part.url).searchParams.get("uploadId")).toBe(s3UploadId);
    expect(new URL(part.url).pathname).toBe(`/${BUCKET}/${key}`);
    expect(Number(new URL(part.url).searchParams.get("X-Amz-Expires"))).toBe(900);
    // Bound now: a second multipart upload, or any other id, is refused.
    await expect(signDirectRequest(scope, { uploadId, request: { method: "POST", key } })).rejects.toMatchObject(forbidden);
    await expect(signDirectRequest(scope, { uploadId, request: { method: "PUT", key, uploadId: `${s3UploadId}0`, partNumber: 2 } })).rejects.toMatchObject(forbidden);
    await expect(signDirectRequest(scope, { uploadId, request: { method: "GET", key, uploadId: otherS3Id } })).rejects.toMatchObject(forbidden);
    for (const partNumber of [0, 10_001]) {
      await expect(signDirectRequest(scope, { uploadId, request: { method: "PUT", key, uploadId: s3UploadId, partNumber } })).rejects.toMatchObject({ status: 400 });
    }
    for (const method of ["GET", "POST", "DELETE"] as const) {
      const { url } = await signDirectRequest(scope, { uploadId, request: { method, key, uploadId: s3UploadId } });
      expect(new URL(url).searchParams.get("uploadId")).toBe(s3UploadId);
    }

    const stranger = { ...scope, userId: newId("usr") };
    await expect(signDirectRequest(stranger, { uploadId, request: { method: "POST", key } })).rejects.toMatchObject({ status: 404 });
    const foreign = await uploader();
    await expect(signDirectRequest(foreign.scope, { uploadId, request: { method: "POST", key } })).rejects.toMatchObject({ status: 404 });
    await expect(completeDirectUpload(foreign.scope, { uploadId })).rejects.toMatchObject({ status: 404 });
  });

  it("refuses an HTML page after the upload: a clear error for Uppy, the staging object gone, no file", async () => {
    const { projectId, scope } = await uploader();
    const html = new Blob([`<!doctype html><html><body>${"x".repeat(6 * MB)}</body></html>`], { type: "video/mp4" });

    const { result, published } = await uploadWithUppy(projectId, directCalls(scope), [{ name: "page.mp4", type: "video/mp4", data: html }]);

    expect(published).toEqual([]);
    expect(result?.successful).toEqual([]);
    expect(result?.failed).toHaveLength(1);
    expect(String(result?.failed?.[0]?.error)).toContain("HTML page");
    const prisma = await db();
    expect(await prisma.file.count({ where: { projectId } })).toBe(0);
    expect(await prisma.media.count({ where: { projectId } })).toBe(0);
    expect(await prisma.upload.findFirstOrThrow({ where: { projectId } })).toMatchObject({ status: "failed", storageKey: null, error: expect.stringContaining("HTML") });
    expect(await stagedKeys(projectId)).toEqual([]);
  });

  it("refuses an object larger than announced, keeping nothing; a file over the limit is refused before any byte moves", async () => {
    const { projectId, scope } = await uploader();
    const calls = directCalls(scope);
    const understated: S3DirectCalls = { ...calls, create: (input) => calls.create({ ...input, size: input.size - 1000 }) };
    const bytes = new Blob([new Uint8Array(MB)]);

    const { result } = await uploadWithUppy(projectId, understated, [{ name: "big.mp4", type: "video/mp4", data: bytes }]);

    expect(result?.failed).toHaveLength(1);
    expect(String(result?.failed?.[0]?.error)).toMatch(/announced \d+ bytes but the bucket holds \d+/);
    const prisma = await db();
    expect(await prisma.file.count({ where: { projectId } })).toBe(0);
    expect(await prisma.upload.findFirstOrThrow({ where: { projectId } })).toMatchObject({ status: "failed", storageKey: null });
    expect(await stagedKeys(projectId)).toEqual([]);

    await expect(createDirectUpload(scope, { filename: "huge.mp4", size: 6 * 1024 ** 3 })).rejects.toMatchObject({ status: 413 });
    await expect(createDirectUpload(scope, { filename: "empty.mp4", size: 0 })).rejects.toMatchObject({ status: 400 });
    expect(await prisma.upload.count({ where: { projectId } })).toBe(1);
  });

  it("answers completion before the bytes are there with 409, and a repeated completion with the same file, in the file's folder", async () => {
    const { projectId, scope } = await uploader();
    const { uploadId, key } = await createDirectUpload(scope, { filename: "early.mp4", size: 100 });
    await expect(completeDirectUpload(scope, { uploadId })).rejects.toMatchObject({ status: 409 });

    const video = await mediaFixture("videoNoAudio");
    const { published } = await uploadWithUppy(projectId, directCalls(scope), [{ name: "twice.mp4", type: "video/mp4", data: await openAsBlob(video), meta: { folder: "picked" } }], "default");
    // The file's own folder (the media page's folder field) wins over the uploader's.
    expect(published[0]?.path).toBe("picked/twice.mp4");
    const prisma = await db();
    const done = await prisma.upload.findFirstOrThrow({ where: { projectId, filename: "twice.mp4" } });
    const again = await completeDirectUpload(scope, { uploadId: done.id });
    expect(again).toMatchObject({ created: false, file: { id: published[0]!.fileId } });
    expect(await prisma.file.count({ where: { projectId } })).toBe(1);
    await expect(signDirectRequest(scope, { uploadId: done.id, request: { method: "POST", key } })).rejects.toMatchObject({ status: 410 });
  });

  it("sweeps what uploads older than 24 hours left: the open multipart upload and the staging object", async () => {
    const { projectId, scope } = await uploader();
    const open = await createDirectUpload(scope, { filename: "open.mp4", size: 6 * MB });
    const s3UploadId = await startMultipart(scope, open.uploadId, open.key);
    await signDirectRequest(scope, { uploadId: open.uploadId, request: { method: "PUT", key: open.key, uploadId: s3UploadId, partNumber: 1 } });
    const left = await createDirectUpload(scope, { filename: "left.mp4", size: 5 });
    const prisma = await db();
    const leftRow = await prisma.upload.findUniqueOrThrow({ where: { id: left.uploadId } });
    // Its multipart upload completed in the bucket, but the browser never asked for it to be published.
    await writeFile(path.join(workDir, "left.bin"), "bytes");
    await getStore().put(leftRow.storageKey!, path.join(workDir, "left.bin"), { contentType: "video/mp4" });
    expect(await stagedKeys(projectId)).toHaveLength(1);
    expect(await openUploads(s3, BUCKET, open.key)).toHaveLength(1);

    await sweepDirectUploads(Date.now() + 23 * 3600 * 1000);
    expect(await openUploads(s3, BUCKET, open.key)).toHaveLength(1);

    await sweepDirectUploads(Date.now() + 25 * 3600 * 1000);
    expect(await openUploads(s3, BUCKET, open.key)).toEqual([]);
    expect(await stagedKeys(projectId)).toEqual([]);
    for (const id of [open.uploadId, left.uploadId]) {
      expect(await prisma.upload.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "expired", storageKey: null });
    }
  });

  it("the maintenance run removes a staging object at once when its upload ended but the clean-up did not finish", async () => {
    const { projectId, scope } = await uploader();
    const { uploadId } = await createDirectUpload(scope, { filename: "ended.mp4", size: 5 });
    const prisma = await db();
    const row = await prisma.upload.update({ where: { id: uploadId }, data: { status: "failed", error: "refused" } });
    await writeFile(path.join(workDir, "ended.bin"), "bytes");
    await getStore().put(row.storageKey!, path.join(workDir, "ended.bin"), { contentType: "video/mp4" });
    expect(await stagedKeys(projectId)).toHaveLength(1);

    await runMaintenance();

    expect(await stagedKeys(projectId)).toEqual([]);
    expect(await prisma.upload.findUniqueOrThrow({ where: { id: uploadId } })).toMatchObject({ status: "failed", error: "refused", storageKey: null });
  });

  it("is on with an S3 store and MEDIABIT_UPLOADS_DIRECT=auto, off (403) with MEDIABIT_UPLOADS_DIRECT=off", async () => {
    const { scope } = await uploader();
    expect(directUploadsEnabled()).toBe(true);
    process.env.MEDIABIT_UPLOADS_DIRECT = "off";
    resetEnvForTests();
    try {
      expect(directUploadsEnabled()).toBe(false);
      const refused = createDirectUpload(scope, { filename: "clip.mp4", size: 10 });
      await expect(refused).rejects.toBeInstanceOf(AppError);
      await expect(refused).rejects.toMatchObject({ status: 403 });
    } finally {
      delete process.env.MEDIABIT_UPLOADS_DIRECT;
      resetEnvForTests();
    }
  });
});
