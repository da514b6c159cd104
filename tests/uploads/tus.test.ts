// tus 1.0 on an upload URL: creation, HEAD offset, PATCH in chunks, termination, size limits, expiry; the finished
// PATCH answers the published file and the bytes read back identical through delivery.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { appendFile, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { sweepExpiredUploads, tusDir } from "@/lib/uploads/tus";
import { call, createTestProject, data, dispatch } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";

const sha256 = (bytes: Buffer | Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const TUS = { "Tus-Resumable": "1.0.0" };

async function newUploadUrl(key: string, body: Record<string, unknown> = {}): Promise<{ id: string; url: string }> {
  const res = await call("POST", "/api/uploads", { key, body });
  expect(res.status).toBe(201);
  return data(res);
}

async function tus(method: string, url: string, headers: Record<string, string> = {}, body?: Buffer) {
  const response = await dispatch(new Request(url, { method, headers: { ...TUS, ...headers }, body: body ? new Uint8Array(body) : undefined }));
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

async function create(url: string, length: number) {
  const res = await tus("POST", url, { "Upload-Length": String(length), "Upload-Metadata": `filename ${Buffer.from("client.mp4").toString("base64")}` });
  expect(res.status).toBe(201);
  const location = res.headers.get("location")!;
  expect(location.startsWith(`${url}/`)).toBe(true);
  return location;
}

function patch(location: string, offset: number, chunk: Buffer) {
  return tus("PATCH", location, { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" }, chunk);
}

async function tusFiles(): Promise<string[]> {
  return readdir(tusDir()).catch(() => [] as string[]);
}

afterEach(() => {
  delete process.env.MEDIABIT_MAX_FILE_BYTES;
  resetEnvForTests();
});

describe("tus on an upload URL", () => {
  it("creates, reports the offset, takes chunks and answers the published file on the last PATCH", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoWithAudio"));
    const upload = await newUploadUrl(project.key, { filename: "tus.mp4" });
    const location = await create(upload.url, video.length);
    const tusId = location.split("/").at(-1)!;

    const head0 = await tus("HEAD", location);
    expect(head0.status).toBe(200);
    expect(head0.headers.get("upload-offset")).toBe("0");
    expect(head0.headers.get("upload-length")).toBe(String(video.length));
    expect(head0.headers.get("cache-control")).toBe("no-store");

    const third = Math.floor(video.length / 3);
    const first = await patch(location, 0, video.subarray(0, third));
    expect(first.status).toBe(204);
    expect(first.headers.get("upload-offset")).toBe(String(third));
    expect(Date.parse(first.headers.get("upload-expires")!)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(first.headers.get("access-control-expose-headers")).toMatch(/Upload-Offset/);

    const status = await call("GET", `/api/uploads/${upload.id}`, { key: project.key });
    expect(status.body).toMatchObject({ status: "uploading", bytes_received: third });

    // A wrong offset changes nothing.
    expect((await patch(location, 1, video.subarray(1, 10))).status).toBe(409);
    expect((await tus("HEAD", location)).headers.get("upload-offset")).toBe(String(third));

    expect((await patch(location, third, video.subarray(third, 2 * third))).headers.get("upload-offset")).toBe(String(2 * third));
    const last = await patch(location, 2 * third, video.subarray(2 * third));
    expect(last.status).toBe(200);
    const file = last.json();
    expect(file).toMatchObject({ object: "source", filename: "tus.mp4", kind: "video", filesize: video.length });
    expect(last.headers.get("upload-offset")).toBe(String(video.length));
    const delivered = await dispatch(new Request(file.url));
    expect(sha256(Buffer.from(await delivered.arrayBuffer()))).toBe(sha256(video));

    // The tus bytes moved into the store; the URL is used up.
    expect((await tusFiles()).filter((name) => name.startsWith(tusId))).toEqual([]);
    expect((await tus("HEAD", location)).status).toBe(410);
    expect((await tus("POST", upload.url, { "Upload-Length": "10" })).status).toBe(410);
    const done = await call("GET", `/api/uploads/${upload.id}`, { key: project.key });
    expect(done.body).toMatchObject({ status: "completed", file_id: file.id, bytes_received: video.length });
  });

  it("terminates an upload on DELETE: its bytes are removed and the URL takes a new one", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key);
    const location = await create(upload.url, video.length);
    const tusId = location.split("/").at(-1)!;
    await patch(location, 0, video.subarray(0, 100));
    expect(existsSync(path.join(tusDir(), tusId))).toBe(true);
    const deleted = await tus("DELETE", location);
    expect(deleted.status).toBe(204);
    expect(existsSync(path.join(tusDir(), tusId))).toBe(false);
    expect((await tus("HEAD", location)).status).toBe(404);
    const status = await call("GET", `/api/uploads/${upload.id}`, { key: project.key });
    expect(status.body).toMatchObject({ status: "waiting", bytes_received: 0 });

    const again = await create(upload.url, video.length);
    const finished = await patch(again, 0, video);
    expect(finished.status).toBe(200);
  });

  it("refuses an Upload-Length over the limit with 413 and bytes beyond the declared length, storing nothing", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoNoAudio"));
    process.env.MEDIABIT_MAX_FILE_BYTES = String(video.length);
    resetEnvForTests();
    const upload = await newUploadUrl(project.key);
    const before = await tusFiles();
    expect((await tus("POST", upload.url, { "Upload-Length": String(video.length + 1) })).status).toBe(413);
    expect(await tusFiles()).toEqual(before);
    // A deferred length is held to the limit as bytes arrive.
    const res = await tus("POST", upload.url, { "Upload-Defer-Length": "1" });
    expect(res.status).toBe(201);
    const location = res.headers.get("location")!;
    const over = await patch(location, 0, Buffer.concat([video, Buffer.alloc(10)]));
    expect(over.status).toBe(413);
    const prisma = await db();
    expect(await prisma.file.count({ where: { projectId: project.projectId } })).toBe(0);
  });

  it("refuses HTML on the last PATCH with a 400 and removes its bytes; the URL still takes media", async () => {
    const project = await createTestProject("latest");
    const html = await readFile(await mediaFixture("htmlPage"));
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key);
    const location = await create(upload.url, html.length);
    const refused = await patch(location, 0, html);
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ kind: "invalid_input", message: expect.stringMatching(/HTML/) });
    const tusId = location.split("/").at(-1)!;
    expect((await tusFiles()).filter((name) => name.startsWith(tusId))).toEqual([]);
    const again = await create(upload.url, video.length);
    expect((await patch(again, 0, video)).status).toBe(200);
  });

  it("keeps a started upload resumable past the URL's timeout, and refuses it 24 h after its last byte", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key, { timeout: 10 });
    const location = await create(upload.url, video.length);
    await patch(location, 0, video.subarray(0, 50));
    const prisma = await db();
    await prisma.upload.update({ where: { id: upload.id }, data: { urlExpiresAt: new Date(Date.now() - 60_000) } });
    expect((await tus("HEAD", location)).headers.get("upload-offset")).toBe("50");

    await prisma.upload.update({ where: { id: upload.id }, data: { lastByteAt: new Date(Date.now() - 24 * 3600_000 - 1000) } });
    expect((await tus("HEAD", location)).status).toBe(410);
    expect((await patch(location, 50, video.subarray(50))).status).toBe(410);
    const tusId = location.split("/").at(-1)!;
    expect(existsSync(path.join(tusDir(), tusId))).toBe(true);
    expect(await sweepExpiredUploads()).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.join(tusDir(), tusId))).toBe(false);
    expect((await prisma.upload.findUniqueOrThrow({ where: { id: upload.id } })).status).toBe("expired");
  });

  it("marks an unused URL expired once its timeout passes", async () => {
    const project = await createTestProject("latest");
    const upload = await newUploadUrl(project.key);
    const fresh = await newUploadUrl(project.key);
    const prisma = await db();
    await prisma.upload.update({ where: { id: upload.id }, data: { urlExpiresAt: new Date(Date.now() - 1000) } });
    await sweepExpiredUploads();
    expect((await prisma.upload.findUniqueOrThrow({ where: { id: upload.id } })).status).toBe("expired");
    expect((await prisma.upload.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe("waiting");
    expect((await tus("POST", upload.url, { "Upload-Length": "10" })).status).toBe(410);
  });

  it("publishes on HEAD an upload whose bytes all arrived but were never published (a crash in between)", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key, { filename: "crashed.mp4" });
    const location = await create(upload.url, video.length);
    await patch(location, 0, video.subarray(0, 100));
    // What a process killed after writing the last bytes and before publishing leaves behind.
    await appendFile(path.join(tusDir(), location.split("/").at(-1)!), video.subarray(100));
    const head = await tus("HEAD", location);
    expect(head.status).toBe(200);
    expect(head.headers.get("upload-offset")).toBe(String(video.length));
    const status = await call("GET", `/api/uploads/${upload.id}`, { key: project.key });
    expect(status.body).toMatchObject({ status: "completed", file_id: expect.stringMatching(/^file_/) });
    const file = await call("GET", `/api/files/${status.body.file_id}`, { key: project.key });
    expect(file.body).toMatchObject({ filename: "crashed.mp4", filesize: video.length });
    const delivered = await dispatch(new Request(file.body.url));
    expect(sha256(Buffer.from(await delivered.arrayBuffer()))).toBe(sha256(video));
  });

  it("does not let one upload URL reach another's tus upload", async () => {
    const project = await createTestProject("latest");
    const a = await newUploadUrl(project.key);
    const b = await newUploadUrl(project.key);
    const location = await create(a.url, 100);
    const tusId = location.split("/").at(-1)!;
    expect((await tus("HEAD", `${b.url}/${tusId}`)).status).toBe(404);
    expect((await patch(`${b.url}/${tusId}`, 0, Buffer.alloc(10))).status).toBe(404);
    expect((await tus("HEAD", location)).headers.get("upload-offset")).toBe("0");
  });
});
