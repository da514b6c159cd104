// An upload URL (/u/<token>) takes one upload by multipart POST or raw PUT, with no API key: bytes read back identical
// through delivery; used, expired and unknown tokens are refused before any byte is kept; a refused or oversized
// attempt leaves the URL usable.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { scratchDir } from "@/lib/files/scratch";
import { call, createTestProject, data, dispatch } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";

const sha256 = (bytes: Buffer | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function newUploadUrl(key: string, body: Record<string, unknown> = {}): Promise<{ id: string; url: string }> {
  const res = await call("POST", "/api/uploads", { key, body });
  expect(res.status).toBe(201);
  return data(res);
}

function multipart(bytes: Buffer, filename = "client-name.mp4", field = "file"): FormData {
  const form = new FormData();
  form.append("note", "ignored");
  form.append(field, new Blob([new Uint8Array(bytes)]), filename);
  return form;
}

async function send(method: string, url: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await dispatch(new Request(url, { method, body, headers }));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

async function delivered(url: string): Promise<Buffer> {
  const response = await dispatch(new Request(url));
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function scratchLeftovers(uploadId: string): Promise<string[]> {
  return (await readdir(scratchDir()).catch(() => [] as string[])).filter((name) => name.startsWith(`upload-${uploadId}`));
}

async function counts(projectId: string) {
  const prisma = await db();
  return { files: await prisma.file.count({ where: { projectId } }), media: await prisma.media.count({ where: { projectId } }) };
}

afterEach(() => {
  delete process.env.MEDIABIT_MAX_FILE_BYTES;
  resetEnvForTests();
});

describe("POST <upload url> (multipart)", () => {
  it("stores the `file` part under the upload's name and folder, answers the file, bytes identical through delivery", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoWithAudio"));
    const upload = await newUploadUrl(project.key, { filename: "clip.mp4", folder: "users/u1", metadata: { user: "u1" } });
    const res = await send("POST", upload.url, multipart(video));
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.body).toMatchObject({ object: "source", kind: "video", folder: "users/u1", filename: "clip.mp4", filesize: video.length, width: 640, height: 360, metadata: { user: "u1" } });
    expect(sha256(await delivered(res.body.url))).toBe(sha256(video));
    const status = await call("GET", `/api/uploads/${upload.id}`, { key: project.key });
    expect(status.body).toMatchObject({ status: "completed", bytes_received: video.length, file_id: res.body.id, media_id: res.body.media_id });
  });

  it("answers the media object, enveloped, for a generation-A project and names the file after the part without a filename", async () => {
    const project = await createTestProject("2024-08-21");
    const image = await readFile(await mediaFixture("png"));
    const upload = await newUploadUrl(project.key, { expires: 3600 });
    const res = await send("POST", upload.url, multipart(image, "holiday.png"));
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ type: "object" });
    const media = res.body.data;
    expect(media).toMatchObject({ object: "media", kind: "image", expires: expect.any(String) });
    expect(Date.parse(media.expires)).toBeGreaterThan(Date.now() + 3500_000);
    expect(media.files).toHaveLength(1);
    expect(media.files[0]).toMatchObject({ filename: "holiday.png", filesize: image.length });
    expect(sha256(await delivered(media.files[0].url))).toBe(sha256(image));
  });

  it("answers 400 for a multipart body without a `file` part and 415 for a non-multipart POST; the URL stays usable", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key);
    const missing = await send("POST", upload.url, multipart(video, "a.mp4", "other"));
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/`file`/);
    const plain = await send("POST", upload.url, video, { "content-type": "application/octet-stream" });
    expect(plain.status).toBe(415);
    expect(await counts(project.projectId)).toEqual({ files: 0, media: 0 });
    expect((await send("POST", upload.url, multipart(video))).status).toBe(200);
  });
});

describe("PUT <upload url> (raw bytes)", () => {
  it("stores the body and answers the file, bytes identical through delivery", async () => {
    const project = await createTestProject("2025-08-20");
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key, { filename: "raw.mp4" });
    const res = await send("PUT", upload.url, video);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ filename: "raw.mp4", kind: "video", filesize: video.length });
    expect(sha256(await delivered(res.body.url))).toBe(sha256(video));
  });
});

describe("upload URL rules", () => {
  it("takes one upload: a second POST after completion is a 410 and stores nothing", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key);
    expect((await send("POST", upload.url, multipart(video))).status).toBe(200);
    const again = await send("PUT", upload.url, video);
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ kind: "upload_gone", message: expect.stringMatching(/used/) });
    expect((await send("POST", upload.url, multipart(video))).status).toBe(410);
    expect(await counts(project.projectId)).toEqual({ files: 1, media: 1 });
    expect(await scratchLeftovers(upload.id)).toEqual([]);
  });

  it("makes one file of a final request sent twice at once", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key);
    const [a, b] = await Promise.all([send("PUT", upload.url, video), send("PUT", upload.url, video)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.id).toBe(b.body.id);
    expect(await counts(project.projectId)).toEqual({ files: 1, media: 1 });
    expect(await scratchLeftovers(upload.id)).toEqual([]);
  });

  it("refuses an expired URL with 410 and an unknown or malformed token with 404, keeping nothing", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key);
    const prisma = await db();
    await prisma.upload.update({ where: { id: upload.id }, data: { urlExpiresAt: new Date(Date.now() - 1000) } });
    const expired = await send("POST", upload.url, multipart(video));
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ kind: "upload_gone", message: expect.stringMatching(/expired/) });
    const origin = new URL(upload.url).origin;
    for (const token of ["A".repeat(40), "short", "x".repeat(200)]) {
      const unknown = await send("PUT", `${origin}/u/${token}`, video);
      expect(unknown.status, token).toBe(404);
      expect(unknown.body.error.kind).toBe("upload_not_found");
    }
    expect(await counts(project.projectId)).toEqual({ files: 0, media: 0 });
    expect(await scratchLeftovers(upload.id)).toEqual([]);
  });

  it("answers 413 when the size limit is crossed mid-stream, keeps nothing, and the URL still takes a smaller upload", async () => {
    const project = await createTestProject("latest");
    const small = await readFile(await mediaFixture("videoNoAudio"));
    const big = await readFile(await mediaFixture("videoWithAudio"));
    expect(big.length).toBeGreaterThan(small.length);
    process.env.MEDIABIT_MAX_FILE_BYTES = String(small.length + 1024);
    resetEnvForTests();
    const upload = await newUploadUrl(project.key);
    // A stream with no Content-Length: only counting the bytes as they arrive can catch it.
    const stream = new Blob([new Uint8Array(big)]).stream();
    const put = await dispatch(new Request(upload.url, { method: "PUT", body: stream, duplex: "half" } as RequestInit));
    expect(put.status).toBe(413);
    expect(await put.json()).toMatchObject({ kind: "payload_too_large" });
    const posted = await send("POST", upload.url, multipart(big));
    expect(posted.status).toBe(413);
    expect(await counts(project.projectId)).toEqual({ files: 0, media: 0 });
    expect(await scratchLeftovers(upload.id)).toEqual([]);
    const status = await call("GET", `/api/uploads/${upload.id}`, { key: project.key });
    expect(status.body).toMatchObject({ status: "waiting", bytes_received: 0, error: expect.stringMatching(/larger/) });
    expect((await send("POST", upload.url, multipart(small))).status).toBe(200);
  });

  it("keeps nothing of an attempt whose body breaks off, and the URL still takes the upload", async () => {
    const project = await createTestProject("latest");
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key, { filename: "retry.mp4" });
    // Half the bytes, then the connection fails: raw, and inside a multipart body.
    const breaking = (head: Uint8Array) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(head);
        },
        pull(controller) {
          controller.error(new Error("socket hang up"));
        },
      });
    const half = new Uint8Array(video.subarray(0, video.length >> 1));
    const raw = await dispatch(new Request(upload.url, { method: "PUT", body: breaking(half), duplex: "half" } as RequestInit));
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ message: expect.stringMatching(/interrupted/) });
    const boundary = "----mediabit-test";
    const head = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\nContent-Type: video/mp4\r\n\r\n`), half]);
    const multipartCut = await dispatch(
      new Request(upload.url, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body: breaking(new Uint8Array(head)), duplex: "half" } as RequestInit),
    );
    expect(multipartCut.status).toBe(400);
    expect(await multipartCut.json()).toMatchObject({ message: expect.stringMatching(/interrupted/) });
    expect(await counts(project.projectId)).toEqual({ files: 0, media: 0 });
    expect(await scratchLeftovers(upload.id)).toEqual([]);
    const status = await call("GET", `/api/uploads/${upload.id}`, { key: project.key });
    expect(status.body).toMatchObject({ status: "waiting", bytes_received: 0 });
    const ok = await send("PUT", upload.url, video);
    expect(ok.status).toBe(200);
    expect(sha256(await delivered(ok.body.url))).toBe(sha256(video));
  });

  it("refuses HTML with a 400, keeps nothing, and the URL still takes media", async () => {
    const project = await createTestProject("latest");
    const html = await readFile(await mediaFixture("htmlPage"));
    const video = await readFile(await mediaFixture("videoNoAudio"));
    const upload = await newUploadUrl(project.key, { filename: "page.mp4" });
    const refused = await send("POST", upload.url, multipart(html));
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/HTML/);
    expect(await counts(project.projectId)).toEqual({ files: 0, media: 0 });
    expect(await scratchLeftovers(upload.id)).toEqual([]);
    const ok = await send("PUT", upload.url, video);
    expect(ok.status).toBe(200);
    expect(ok.body.filename).toBe("page.mp4");
  });

  it("answers a CORS preflight from any origin, with PUT and the tus headers allowed", async () => {
    const project = await createTestProject("latest");
    const upload = await newUploadUrl(project.key);
    const res = await dispatch(
      new Request(upload.url, { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "PUT", "access-control-request-headers": "content-type" } }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toMatch(/PUT/);
    expect(res.headers.get("access-control-allow-headers")).toMatch(/Upload-Offset/);
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("tus-version")).toBe("1.0.0");
    expect(res.headers.get("tus-extension")).toMatch(/creation.*termination.*expiration/);
  });
});
