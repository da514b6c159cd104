// Resumable PUT uploads: chunks with Content-Range to /f/<alias>/<path>, in order, out of order, in parallel, retried,
// conflicting, missing and malformed; the chunk that completes the bytes publishes the file, and idle uploads expire.
import { access, readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { runMaintenance } from "@/lib/maintenance";
import { chunksDir, sweepChunkedUploads } from "@/lib/uploads/chunked";
import { call, createTestProject, type TestProject } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { aliasOf, download, problem, put, sha256, type PutResult } from "./put-helpers";

let video: Buffer;

beforeAll(async () => {
  video = await readFile(await mediaFixture("videoNoAudio"));
});

type Project = TestProject & { alias: string };

async function project(version = "2025-08-20"): Promise<Project> {
  const p = await createTestProject(version);
  return { ...p, alias: await aliasOf(p.projectId) };
}

type Chunk = { start: number; end: number; bytes: Buffer };

/** `bytes` cut into `count` chunks of (nearly) equal size. */
function chunksOf(bytes: Buffer, count: number): Chunk[] {
  const size = Math.ceil(bytes.length / count);
  const out: Chunk[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    const end = Math.min(start + size, bytes.length) - 1;
    out.push({ start, end, bytes: bytes.subarray(start, end + 1) });
  }
  return out;
}

function sendChunk(p: Project, url: string, chunk: Chunk, total: number, syntax: "=" | " " = " "): Promise<PutResult> {
  return put(url, chunk.bytes, { key: p.key, headers: { "content-range": `bytes${syntax}${chunk.start}-${chunk.end}/${total}` } });
}

async function filesIn(projectId: string) {
  return (await db()).file.findMany({ where: { projectId } });
}

async function uploadsIn(projectId: string) {
  return (await db()).upload.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

describe("PUT with Content-Range", () => {
  it("answers 202 with the bytes so far for each chunk in order, then 201 with the file; delivery serves the same bytes", async () => {
    const p = await project();
    const url = `/f/${p.alias}/videos/clip.mp4`;
    const chunks = chunksOf(video, 4);
    let received = 0;
    for (const chunk of chunks.slice(0, -1)) {
      const res = await sendChunk(p, url, chunk, video.length, "=");
      received += chunk.bytes.length;
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ object: "upload", status: "uploading", bytes_received: received, total_bytes: video.length, ranges: [[0, chunk.end]] });
      expect(res.headers.get("range")).toBe(`bytes=0-${chunk.end}`);
    }
    const last = await sendChunk(p, url, chunks.at(-1)!, video.length, "=");
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({ kind: "video", filesize: video.length, folder: "videos", filename: "clip.mp4", version: 1, status: "ready" });
    expect(sha256((await download(last.body.url)).bytes)).toBe(sha256(video));
    const [upload] = await uploadsIn(p.projectId);
    expect(upload).toMatchObject({ kind: "chunked", status: "completed", fileId: last.body.id, chunkKey: `${p.projectId}:videos/clip.mp4:${video.length}` });
    expect(await exists(path.join(chunksDir(), upload!.id))).toBe(false);
  });

  it("completes when the chunks arrive in reverse order, whichever chunk fills the last gap", async () => {
    const p = await project();
    const url = `/f/${p.alias}/reverse.mp4`;
    const chunks = chunksOf(video, 5).reverse();
    const statuses: number[] = [];
    let last: PutResult | undefined;
    for (const chunk of chunks) {
      last = await sendChunk(p, url, chunk, video.length);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 201]);
    expect(sha256((await download(last!.body.url)).bytes)).toBe(sha256(video));
  });

  it("takes all chunks sent at once: exactly one 201, one file, one upload, bytes intact", async () => {
    const p = await project();
    const url = `/f/${p.alias}/parallel.mp4`;
    const results = await Promise.all(chunksOf(video, 8).map((chunk) => sendChunk(p, url, chunk, video.length)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 202, 202, 202, 202, 202, 202, 202]);
    const created = results.find((r) => r.status === 201)!;
    expect(sha256((await download(created.body.url)).bytes)).toBe(sha256(video));
    expect(await filesIn(p.projectId)).toHaveLength(1);
    const uploads = await uploadsIn(p.projectId);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ status: "completed", bytesReceived: BigInt(video.length), ranges: [[0, video.length - 1]] });
  });

  it("accepts a retried chunk without counting it twice", async () => {
    const p = await project();
    const url = `/f/${p.alias}/retry.mp4`;
    const [first, second, third] = chunksOf(video, 3) as [Chunk, Chunk, Chunk];
    expect((await sendChunk(p, url, first, video.length)).body.bytes_received).toBe(first.bytes.length);
    const retried = await sendChunk(p, url, first, video.length);
    expect(retried.status).toBe(202);
    expect(retried.body.bytes_received).toBe(first.bytes.length);
    expect((await sendChunk(p, url, third, video.length)).status).toBe(202);
    const done = await sendChunk(p, url, second, video.length);
    expect(done.status).toBe(201);
    expect(sha256((await download(done.body.url)).bytes)).toBe(sha256(video));
  });

  it("refuses with 409 a chunk overlapping received bytes with other bytes, keeping what had arrived", async () => {
    const p = await project();
    const url = `/f/${p.alias}/overlap.mp4`;
    const [first, second] = chunksOf(video, 2) as [Chunk, Chunk];
    expect((await sendChunk(p, url, first, video.length)).status).toBe(202);
    // Straddles the received range: its first half overlaps with flipped bytes.
    const start = first.end - 99;
    const forged = Buffer.from(video.subarray(start, start + 200));
    forged[10] = forged[10]! ^ 0xff;
    const conflict = await put(url, forged, { key: p.key, headers: { "content-range": `bytes ${start}-${start + 199}/${video.length}` } });
    expect(conflict.status).toBe(409);
    expect(problem(conflict).message).toMatch(/different content/);
    const [upload] = await uploadsIn(p.projectId);
    expect(upload!.ranges).toEqual([[0, first.end]]);
    // An overlapping chunk that agrees is fine, and the upload still completes with the right bytes.
    const agreeing = await put(url, video.subarray(start, start + 200), { key: p.key, headers: { "content-range": `bytes ${start}-${start + 199}/${video.length}` } });
    expect(agreeing.status).toBe(202);
    expect(agreeing.body.ranges).toEqual([[0, start + 199]]);
    const done = await sendChunk(p, url, second, video.length);
    expect(done.status).toBe(201);
    expect(sha256((await download(done.body.url)).bytes)).toBe(sha256(video));
  });

  it("stays 202 with a gap while a chunk is missing, and publishes nothing", async () => {
    const p = await project();
    const url = `/f/${p.alias}/gap.mp4`;
    const chunks = chunksOf(video, 4);
    let last: PutResult | undefined;
    for (const chunk of [chunks[0]!, chunks[1]!, chunks[3]!]) last = await sendChunk(p, url, chunk, video.length);
    expect(last!.status).toBe(202);
    expect(last!.body.ranges).toEqual([
      [0, chunks[1]!.end],
      [chunks[3]!.start, video.length - 1],
    ]);
    expect(last!.headers.get("range")).toBe(`bytes=0-${chunks[1]!.end},${chunks[3]!.start}-${video.length - 1}`);
    expect(await filesIn(p.projectId)).toHaveLength(0);
    expect((await download(url)).status).toBe(404);
    expect((await uploadsIn(p.projectId))[0]!.status).toBe("uploading");
  });

  it("refuses malformed and impossible ranges with 400 and a total over the size limit with 413, storing nothing", async () => {
    const p = await project();
    const url = `/f/${p.alias}/bad.mp4`;
    const ten = Buffer.alloc(10, 1);
    const cases: [string, Buffer, number][] = [
      ["bytes 0-9/5", ten, 400],
      ["bytes 5-4/100", ten, 400],
      ["bytes 0-9/0", ten, 400],
      ["bytes -1-9/100", ten, 400],
      ["bytes 0-9/*", ten, 400],
      ["items 0-9/100", ten, 400],
      ["bytes 0-19/100", ten, 400],
      ["bytes 0-9/100", Buffer.alloc(20, 1), 400],
      ["bytes 0-9/99999999999999", ten, 413],
    ];
    for (const [range, body, status] of cases) {
      const res = await put(url, body, { key: p.key, headers: { "content-range": range } });
      expect(res.status, range).toBe(status);
    }
    // The body itself, not only its declared length, must match the range.
    const longer = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(20));
        controller.close();
      },
    });
    expect((await put(url, longer, { key: p.key, headers: { "content-range": "bytes 0-9/100" } })).status).toBe(400);
    expect(await uploadsIn(p.projectId)).toHaveLength(0);
  });

  it("answers a final chunk retried after completion with the same file (200), creating nothing", async () => {
    const p = await project();
    const url = `/f/${p.alias}/final.mp4`;
    const chunks = chunksOf(video, 3);
    let done: PutResult | undefined;
    for (const chunk of chunks) done = await sendChunk(p, url, chunk, video.length);
    expect(done!.status).toBe(201);
    const again = await sendChunk(p, url, chunks.at(-1)!, video.length);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: done!.body.id, version: 1 });
    const earlier = await sendChunk(p, url, chunks[0]!, video.length);
    expect(earlier.status).toBe(200);
    expect(await filesIn(p.projectId)).toHaveLength(1);
    expect(await uploadsIn(p.projectId)).toHaveLength(1);
  });

  it("starts a new upload, the file's next version, when a chunk after completion differs from the file", async () => {
    const p = await project();
    const url = `/f/${p.alias}/versions.mp4`;
    const chunks = chunksOf(video, 3);
    for (const chunk of chunks) await sendChunk(p, url, chunk, video.length);
    // The same size with other bytes near the end (inside the media data): still a playable video.
    const edited = Buffer.from(video);
    const at = video.length - 500;
    edited[at] = edited[at]! ^ 0x55;
    const editedChunks = chunksOf(edited, 3);
    const first = await sendChunk(p, url, editedChunks[2]!, video.length);
    expect(first.status).toBe(202);
    expect(await sendChunk(p, url, editedChunks[0]!, video.length)).toMatchObject({ status: 202 });
    const done = await sendChunk(p, url, editedChunks[1]!, video.length);
    expect(done.status).toBe(201);
    expect(done.body.version).toBe(2);
    expect(sha256((await download(done.body.url)).bytes)).toBe(sha256(edited));
    const uploads = await uploadsIn(p.projectId);
    expect(uploads.map((u) => u.status)).toEqual(["completed", "completed"]);
    expect(uploads[0]!.chunkKey).toBeNull();
    expect(await filesIn(p.projectId)).toHaveLength(1);
  });

  it("takes both Content-Range spellings in one upload, and chunks to a signed URL", async () => {
    const p = await project();
    const signature = await call("POST", "/api/signatures", { key: p.key, body: { folder: "signed", filename: "both.mp4", method: "put" }, headers: { "Accept-Version": "2025-08-20" } });
    const signed = new URL(signature.body.url);
    const url = signed.pathname + signed.search;
    const [first, second] = chunksOf(video, 2) as [Chunk, Chunk];
    expect((await put(url, first.bytes, { headers: { "content-range": `bytes=${first.start}-${first.end}/${video.length}` } })).status).toBe(202);
    const done = await put(url, second.bytes, { headers: { "content-range": `bytes ${second.start}-${second.end}/${video.length}` } });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ folder: "signed", filename: "both.mp4" });
    expect(sha256((await download(done.body.url)).bytes)).toBe(sha256(video));
  });

  it("refuses an upload whose bytes are an HTML page (400): no file, the upload failed, its chunks gone", async () => {
    const p = await project();
    const html = await readFile(await mediaFixture("htmlPage"));
    const url = `/f/${p.alias}/page.mp4`;
    const half = Math.floor(html.length / 2);
    expect((await put(url, html.subarray(0, half), { key: p.key, headers: { "content-range": `bytes 0-${half - 1}/${html.length}` } })).status).toBe(202);
    const refused = await put(url, html.subarray(half), { key: p.key, headers: { "content-range": `bytes ${half}-${html.length - 1}/${html.length}` } });
    expect(refused.status).toBe(400);
    expect(problem(refused).message).toMatch(/HTML/);
    expect(await filesIn(p.projectId)).toHaveLength(0);
    const [upload] = await uploadsIn(p.projectId);
    expect(upload).toMatchObject({ status: "failed", chunkKey: null });
    expect(await exists(path.join(chunksDir(), upload!.id))).toBe(false);
  });
});

describe("lost chunk bytes", () => {
  it("goes on from the next chunk when the chunk file is gone, and completes once the lost range is sent again", async () => {
    const p = await project();
    const url = `/f/${p.alias}/lost.mp4`;
    const [first, second] = chunksOf(video, 2) as [Chunk, Chunk];
    const res = await sendChunk(p, url, first, video.length);
    await rm(path.join(chunksDir(), res.body.id));
    const next = await sendChunk(p, url, second, video.length);
    expect(next.status).toBe(202);
    expect(next.body).toMatchObject({ id: res.body.id, ranges: [[second.start, second.end]], bytes_received: second.bytes.length });
    const done = await sendChunk(p, url, first, video.length);
    expect(done.status).toBe(201);
    expect(sha256((await download(done.body.url)).bytes)).toBe(sha256(video));
  });
});

describe("expiry of unfinished chunked uploads", () => {
  it("expires an upload 24 h after its last chunk, removes its chunk file, and a later chunk starts afresh", async () => {
    const p = await project();
    const url = `/f/${p.alias}/idle.mp4`;
    const [first] = chunksOf(video, 2) as [Chunk, Chunk];
    const res = await sendChunk(p, url, first, video.length);
    expect(res.status).toBe(202);
    const chunkFile = path.join(chunksDir(), res.body.id);
    expect(await exists(chunkFile)).toBe(true);

    expect(await sweepChunkedUploads(new Date(Date.now() + 23 * 3600 * 1000))).toBe(0);
    expect(await exists(chunkFile)).toBe(true);
    expect(await sweepChunkedUploads(new Date(Date.now() + 25 * 3600 * 1000))).toBeGreaterThanOrEqual(1);
    const prisma = await db();
    expect(await prisma.upload.findUniqueOrThrow({ where: { id: res.body.id } })).toMatchObject({ status: "expired", chunkKey: null });
    expect(await exists(chunkFile)).toBe(false);

    const again = await sendChunk(p, url, first, video.length);
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(res.body.id);
    expect(again.body.bytes_received).toBe(first.bytes.length);
  });

  it("is part of the maintenance run", async () => {
    const p = await project();
    const [first] = chunksOf(video, 2) as [Chunk, Chunk];
    const res = await sendChunk(p, `/f/${p.alias}/maintained.mp4`, first, video.length);
    const prisma = await db();
    await prisma.upload.update({ where: { id: res.body.id }, data: { lastByteAt: new Date(Date.now() - 25 * 3600 * 1000) } });
    await runMaintenance();
    expect((await prisma.upload.findUniqueOrThrow({ where: { id: res.body.id } })).status).toBe("expired");
    expect(await exists(path.join(chunksDir(), res.body.id))).toBe(false);
  });

  it("expires a simple PUT's upload left uploading by a crash", async () => {
    const p = await project();
    const prisma = await db();
    const old = new Date(Date.now() - 25 * 3600 * 1000);
    const stuck = await prisma.upload.create({
      data: { id: `upl_stuck${Date.now()}`, projectId: p.projectId, kind: "put", status: "uploading", urlExpiresAt: old, lastByteAt: old, filename: "x.mp4" },
    });
    await sweepChunkedUploads();
    expect((await prisma.upload.findUniqueOrThrow({ where: { id: stuck.id } })).status).toBe("expired");
  });

  it("removes chunk files whose upload is no longer in progress", async () => {
    const p = await project();
    const [first] = chunksOf(video, 2) as [Chunk, Chunk];
    const res = await sendChunk(p, `/f/${p.alias}/orphan.mp4`, first, video.length);
    const prisma = await db();
    // Another process's sweep (or a crash) ended the upload without removing its bytes.
    await prisma.upload.update({ where: { id: res.body.id }, data: { status: "failed", chunkKey: null } });
    await sweepChunkedUploads();
    expect(await readdir(chunksDir())).not.toContain(res.body.id);
  });
});
