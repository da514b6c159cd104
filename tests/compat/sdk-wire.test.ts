// The official SDKs (TS 1.0.0, Node 0.8.7, PHP 1.0.0) talking to Mediabit over HTTP exactly as sdk-wire.md
// describes their requests, and getting back the shape each one reads (bare for 1.0.0, envelopes for 0.8.x).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import type { Worker } from "@/lib/engine/embedded";
import { resetEnvForTests } from "@/lib/env";
import { parseTaskRequest } from "@/lib/tasks/schemas";
import { insertTask, prepareTask } from "@/lib/tasks/tasks";
import { createTestProject } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker, waitFor } from "@/tests/helpers/engine";
import { startAppServer, type AppServer } from "@/tests/helpers/http-app";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";
import {
  FILE_SHAPE,
  ISO_TIMESTAMP,
  SIGNATURE_SHAPE,
  TASK_SHAPE,
  SdkError,
  mediaProblems,
  sdkClient,
  shapeProblems,
  type SdkClient,
  type SdkName,
} from "./sdk-clients";

// Transcodes and first-use database migration on a shared, busy machine.
vi.setConfig({ testTimeout: 60_000 });

let worker: Worker;
let app: AppServer;
let source: SourceServer;
let videoBytes: Buffer;

beforeAll(async () => {
  worker = startTestWorker();
  app = await startAppServer();
  source = await startSourceServer();
  const video = await mediaFixture("videoWithAudio");
  videoBytes = readFileSync(video);
  source.route("/ittybit/samples/video.mp4", { file: video, contentType: "video/mp4" });
  // Migrates the database once, before the (concurrent) tests start.
  await createTestProject();
}, 120_000);

afterAll(async () => {
  await stopTestWorker(worker);
  await app.close();
  await source.close();
});

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A project pinned to `pinned`, and a client of `sdk` for it. */
async function clientFor(sdk: SdkName, pinned = "2025-01-01"): Promise<SdkClient> {
  const p = await createTestProject(pinned);
  return sdkClient(sdk, `${app.origin}/api`, p.key);
}

/** Polls tasks.get like an SDK user would, until the task ends. */
async function pollTask(client: SdkClient, id: string, unwrap: (body: any) => any): Promise<any> {
  return waitFor(
    async () => {
      const task = unwrap((await client.send("tasks.get", { id })).body);
      return ["completed", "failed", "cancelled"].includes(task.status) ? task : null;
    },
    45_000,
    `task ${id}`,
  );
}

async function probeUrl(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "mediabit-sdk-")), "out");
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", file], { encoding: "utf8" })) as {
    streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
    format: { format_name: string; duration: string };
  };
}

const bare = (body: any) => body;
const enveloped = (body: any) => body.data;

describe.each(["ts1", "php1"] as const)("%s (1.0.0) against a project pinned to the enveloped default", (sdk) => {
  it("files.create/list/get/update/delete answer bare Files with every required field typed as PHP1 needs", async () => {
    const client = await clientFor(sdk);
    const created = await client.send("files.create", {
      body: { url: source.url("/ittybit/samples/video.mp4"), folder: "ittybit/samples", filename: "video.mp4", ref: "original", metadata: { customKey: "your custom value" } },
    });
    expect(created.headers.get("ittybit-version")).toBe("2025-08-20");
    const file = created.body;
    expect(shapeProblems(file, FILE_SHAPE)).toEqual([]);
    expect(file).toMatchObject({ object: "source", kind: "video", status: "ready", ref: "original", folder: "ittybit/samples", filename: "video.mp4", filesize: videoBytes.length });
    expect(file.metadata).toEqual({ customKey: "your custom value" });
    expect(file.url).toMatch(/\/ittybit\/samples\/video\.mp4$/);

    const listed = await client.send("files.list", { query: { page: 1, limit: 20 } });
    expect(Array.isArray(listed.body)).toBe(true);
    expect(listed.body.map((f: { id: string }) => f.id)).toEqual([file.id]);
    for (const [i, item] of listed.body.entries()) expect(shapeProblems(item, FILE_SHAPE, `$[${i}]`)).toEqual([]);

    // PHP1 sends no Accept-Version here: its User-Agent alone must pick the bare shape over the project's pin.
    const got = await client.send("files.get", { id: file.id });
    expect(got.headers.get("ittybit-version")).toBe("2025-08-20");
    expect(shapeProblems(got.body, FILE_SHAPE)).toEqual([]);
    expect(got.body).toMatchObject({ id: file.id, media_id: file.media_id, created: file.created });

    await new Promise((r) => setTimeout(r, 5));
    const updated = await client.send("files.update", { id: file.id, body: { folder: "updated/folder", filename: "new_filename.mp4", metadata: { extra: "1" } } });
    expect(shapeProblems(updated.body, FILE_SHAPE)).toEqual([]);
    expect(updated.body.url).toMatch(/\/updated\/folder\/new_filename\.mp4$/);
    expect(updated.body.metadata).toEqual({ customKey: "your custom value", extra: "1" });
    expect(Date.parse(updated.body.updated)).toBeGreaterThan(Date.parse(file.updated));
    const delivered = await fetch(updated.body.url);
    expect(sha(Buffer.from(await delivered.arrayBuffer()))).toBe(sha(videoBytes));

    const deleted = await client.send("files.delete", { id: file.id });
    expect(deleted.status).toBeGreaterThanOrEqual(200);
    expect(deleted.status).toBeLessThan(300);
    expect(deleted.headers.get("content-type")).toMatch(/^application\/json/);
    expect(deleted.body).toEqual({ message: `${file.id} deleted` });
    const gone = await client.send("files.get", { id: file.id }).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(SdkError);
    expect((gone as SdkError).status).toBe(404);
    expect(JSON.parse((gone as SdkError).body)).toMatchObject({ message: expect.any(String) });
  });

  it("media.create {} / list / get / update / delete answer bare Media PHP1 can read", async () => {
    const client = await clientFor(sdk);
    const created = await client.send("media.create", { body: {} });
    expect(mediaProblems(created.body)).toEqual([]);
    expect(created.body).toMatchObject({ object: "media", files: [], urls: {} });
    expect(created.body.id).toMatch(/^med_/);

    const withTitle = await client.send("media.create", { body: { title: "My Video Example", alt: "An example video", metadata: { a: "1" } } });
    expect(withTitle.body).toMatchObject({ title: "My Video Example", alt: "An example video", metadata: { a: "1" } });

    const listed = await client.send("media.list", { query: { page: 1, limit: 10 } });
    expect(Array.isArray(listed.body)).toBe(true);
    expect(listed.body.map((m: { id: string }) => m.id).sort()).toEqual([created.body.id, withTitle.body.id].sort());
    for (const item of listed.body) expect(mediaProblems(item)).toEqual([]);

    const got = await client.send("media.get", { id: created.body.id });
    expect(mediaProblems(got.body)).toEqual([]);

    const updated = await client.send("media.update", { id: created.body.id, body: { title: "Renamed", alt: "Alt text", metadata: { customKey: "v" } } });
    expect(mediaProblems(updated.body)).toEqual([]);
    expect(updated.body).toMatchObject({ id: created.body.id, title: "Renamed", alt: "Alt text", metadata: { customKey: "v" } });

    const deleted = await client.send("media.delete", { id: created.body.id });
    expect(deleted.status).toBeLessThan(300);
    expect(deleted.body).toEqual({ message: `${created.body.id} deleted` });
    const after = await client.send("media.list", {});
    expect(after.body.map((m: { id: string }) => m.id)).toEqual([withTitle.body.id]);
  });

  it("tasks.create with the documented {file_id, kind, width, format, ref} body echoes options and completes with an image", async () => {
    const client = await clientFor(sdk);
    const file = (await client.send("files.create", { body: { url: source.url("/ittybit/samples/video.mp4") } })).body;
    const created = await client.send("tasks.create", { body: { file_id: file.id, kind: "image", width: 320, format: "png", ref: "thumbnail" } });
    expect(created.headers.get("ittybit-version")).toBe("2025-08-20");
    expect(shapeProblems(created.body, TASK_SHAPE)).toEqual([]);
    expect(created.body).toMatchObject({ object: "task", kind: "image", status: expect.stringMatching(/^(pending|waiting|processing)$/) });
    expect(created.body.options).toEqual({ width: 320, format: "png", ref: "thumbnail" });
    expect(created.body.input).toMatchObject({ id: file.id, kind: "video", url: file.url });

    // POST /files recorded its ingest as a task too: the list holds both, newest first.
    const listed = await client.send("tasks.list", { query: { page: 1, limit: 5 } });
    expect(listed.body.map((t: { kind: string }) => t.kind)).toEqual(["image", "ingest"]);
    expect(listed.body[0].id).toBe(created.body.id);
    for (const [i, task] of listed.body.entries()) expect(shapeProblems(task, TASK_SHAPE, `$[${i}]`)).toEqual([]);

    const done = await pollTask(client, created.body.id, bare);
    expect(shapeProblems(done, TASK_SHAPE)).toEqual([]);
    expect(done).toMatchObject({ status: "completed", progress: 100 });
    expect(shapeProblems(done.output, { required: { id: "string", kind: ["image"], type: "string", url: "string", filesize: "int" } })).toEqual([]);
    expect(done.output).toMatchObject({ type: "image/png", width: 320, height: 180, ref: "thumbnail" });
    const image = await fetch(done.output.url);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect((await image.arrayBuffer()).byteLength).toBe(done.output.filesize);

    const media = await client.send("media.get", { id: file.media_id });
    expect(mediaProblems(media.body)).toEqual([]);
    expect(media.body.urls).toEqual({ original: file.url, thumbnail: done.output.url });
  });

  it("a file still being made (its task not yet run) stays readable: files.list, files.get, media.get", async () => {
    const p = await createTestProject();
    const client = sdkClient(sdk, `${app.origin}/api`, p.key);
    const file = (await client.send("files.create", { body: { url: source.url("/ittybit/samples/video.mp4") } })).body;
    // Recorded as Inngest would be handed it: no local worker ever claims it, so the output stays `processing`.
    const scope = { projectId: p.projectId, orgId: p.orgId };
    const prepared = await prepareTask(scope, parseTaskRequest({ file_id: file.id, kind: "image", width: 320, format: "png", ref: "thumbnail" }));
    process.env.INNGEST_DEV = "1";
    resetEnvForTests();
    let outputFileId: string | null = null;
    try {
      outputFileId = (await (await db()).$transaction((tx) => insertTask(tx, scope, prepared))).task.outputFileId;
    } finally {
      delete process.env.INNGEST_DEV;
      resetEnvForTests();
    }
    const listed = await client.send("files.list", {});
    const pending = listed.body.find((f: { id: string }) => f.id === outputFileId);
    expect(pending).toMatchObject({ status: expect.stringMatching(/^(waiting|processing)$/) });
    for (const [i, item] of listed.body.entries()) expect(shapeProblems(item, FILE_SHAPE, `$[${i}]`)).toEqual([]);
    expect(shapeProblems((await client.send("files.get", { id: outputFileId! })).body, FILE_SHAPE)).toEqual([]);
    const media = await client.send("media.get", { id: file.media_id });
    expect(media.body.files.map((f: { id: string }) => f.id)).toContain(outputFileId);
    expect(mediaProblems(media.body)).toEqual([]);
    // Not ready yet, so not in urls.
    expect(media.body.urls).toEqual({ original: file.url });
  });

  it("signatures.create answers bare Signatures for get and put", async () => {
    const client = await clientFor(sdk);
    const expiry = Math.floor(Date.now() / 1000) + 600;
    for (const method of ["get", "put"] as const) {
      const res = await client.send("signatures.create", { body: { filename: "video.mp4", folder: "example", expiry, method } });
      expect(shapeProblems(res.body, SIGNATURE_SHAPE)).toEqual([]);
      expect(res.body).toMatchObject({ filename: "video.mp4", folder: "example", expiry, method, domain: new URL(app.origin).host });
      const url = new URL(res.body.url);
      expect(url.pathname).toMatch(/\/example\/video\.mp4$/);
      expect(Object.fromEntries(url.searchParams)).toEqual({ expiry: String(expiry), method, signature: res.body.signature });
    }
    const minimal = await client.send("signatures.create", { body: { filename: "video.mp4" } });
    expect(shapeProblems(minimal.body, SIGNATURE_SHAPE)).toEqual([]);
    expect(minimal.body.method).toBe("get");
  });
});

describe("N08 (0.8.7): envelopes on every call, whatever the project is pinned to", () => {
  it("files: list meta and links, object envelopes, delete confirmation in data", async () => {
    const client = await clientFor("n08", "latest");
    const ids: string[] = [];
    for (const name of ["a.mp4", "b.mp4", "c.mp4"]) {
      const res = await client.send("files.create", { body: { url: source.url("/ittybit/samples/video.mp4"), filename: name } });
      expect(res.body.meta).toMatchObject({ type: "object", request_id: expect.stringMatching(/^req_/) });
      expect(res.body.data).toMatchObject({ filename: name, kind: "video", status: "ready" });
      expect(res.body.data.created).toMatch(ISO_TIMESTAMP);
      ids.push(res.body.data.id);
    }
    expect(client.sent.every((r) => !("Accept-Version" in r.headers))).toBe(true);

    const page = await client.send("files.list", { query: { page: 2, limit: 1 } });
    expect(page.headers.get("ittybit-version")).toBe("2025-01-01");
    expect(page.body.meta).toMatchObject({ type: "list", limit: 1, total: 3, page: 2, pages: 3 });
    expect(page.body.data).toHaveLength(1);
    expect(ids).toContain(page.body.data[0].id);
    const links = page.body.links as Record<string, string | null>;
    for (const rel of ["self", "first", "next", "prev", "last"]) expect(links[rel], rel).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/files\?/);
    expect(new URL(links.first!).searchParams.get("page")).toBe("1");
    expect(new URL(links.prev!).searchParams.get("page")).toBe("1");
    expect(new URL(links.next!).searchParams.get("page")).toBe("3");
    expect(new URL(links.last!).searchParams.get("page")).toBe("3");
    const last = await fetch(links.last!, { headers: client.sent[0]!.headers });
    const lastBody = (await last.json()) as { meta: { page: number }; links: { next: string | null } };
    expect(lastBody.meta.page).toBe(3);
    expect(lastBody.links.next).toBeNull();

    const got = await client.send("files.get", { id: ids[0]! });
    expect(got.body).toMatchObject({ meta: { type: "object" }, data: { id: ids[0] }, links: { self: expect.stringContaining(`/api/files/${ids[0]}`) } });

    const updated = await client.send("files.update", { id: ids[0]!, body: { folder: "updated/folder", filename: "new_filename.mp4" } });
    expect(updated.body.data.url).toMatch(/\/updated\/folder\/new_filename\.mp4$/);

    const deleted = await client.send("files.delete", { id: ids[0]! });
    expect(deleted.status).toBeLessThan(300);
    expect(deleted.body).toMatchObject({ meta: { type: "object" }, data: { message: `${ids[0]} deleted` } });

    const missing = await client.send("files.get", { id: ids[0]! }).catch((error: unknown) => error as SdkError);
    expect((missing as SdkError).status).toBe(404);
    expect(JSON.parse((missing as SdkError).body)).toMatchObject({ data: null, error: { message: expect.any(String) } });
  });

  it("media: create {} / list / get / update / delete are enveloped", async () => {
    const client = await clientFor("n08", "2025-08-20");
    const created = await client.send("media.create", { body: {} });
    expect(created.body).toMatchObject({ meta: { type: "object" }, data: { object: "media", files: [], urls: {} } });
    const id = created.body.data.id as string;
    const listed = await client.send("media.list", { query: { page: 1, limit: 20 } });
    expect(listed.body.meta).toMatchObject({ type: "list", limit: 20, total: 1, page: 1, pages: 1 });
    expect(listed.body.links).toMatchObject({ prev: null, next: null });
    expect(listed.body.data.map((m: { id: string }) => m.id)).toEqual([id]);
    expect((await client.send("media.get", { id })).body.data.id).toBe(id);
    const updated = await client.send("media.update", { id, body: { title: "T", metadata: { k: "v" } } });
    expect(updated.body.data).toMatchObject({ title: "T", metadata: { k: "v" } });
    const deleted = await client.send("media.delete", { id });
    expect(deleted.body.data).toEqual({ message: `${id} deleted` });
  });

  it("tasks: create, list and get are enveloped; getTaskConfig is bare", async () => {
    const client = await clientFor("n08", "latest");
    const file = (await client.send("files.create", { body: { url: source.url("/ittybit/samples/video.mp4") } })).body.data;
    const created = await client.send("tasks.create", { body: { file_id: file.id, kind: "image", width: 320, format: "png", ref: "thumbnail" } });
    expect(created.body).toMatchObject({ meta: { type: "object" }, data: { object: "task", kind: "image", options: { width: 320, format: "png", ref: "thumbnail" } } });
    expect(created.body.data.created).toMatch(ISO_TIMESTAMP);
    const listed = await client.send("tasks.list", {});
    expect(listed.body.meta).toMatchObject({ type: "list", limit: 20, total: 2, page: 1, pages: 1 });
    expect(listed.body.data.map((t: { kind: string }) => t.kind)).toEqual(["image", "ingest"]);
    expect(listed.body.data[0].id).toBe(created.body.data.id);
    const done = await pollTask(client, created.body.data.id, enveloped);
    expect(done).toMatchObject({ status: "completed", output: { kind: "image", type: "image/png", width: 320 } });

    const config = await client.send("tasks.getTaskConfig");
    expect(config.body).not.toHaveProperty("meta");
    expect(config.body).not.toHaveProperty("data");
    for (const kind of ["ingest", "video", "image", "audio"]) expect(config.body[kind], kind).toMatchObject({ available: true });
    expect(Object.keys(config.body.video.formats)).toEqual(expect.arrayContaining(["mp4", "webm"]));
  });

  it("signatures: data is the Signature", async () => {
    const client = await clientFor("n08");
    const res = await client.send("signatures.create", { body: { filename: "video.mp4", folder: "example", method: "put" } });
    expect(res.body.meta).toMatchObject({ type: "object" });
    expect(shapeProblems(res.body.data, SIGNATURE_SHAPE)).toEqual([]);
    expect(res.body.data.url).toContain("method=put");
  });
});

describe.concurrent("tasks completing with an output file, polled through each SDK", () => {
  const cases = [
    { sdk: "ts1", kind: "video", body: { kind: "video", width: 320, format: "mp4", ref: "small" }, expected: { codec: "h264", type: "video", width: 320, height: 180 } },
    { sdk: "php1", kind: "image", body: { kind: "image", width: 160, format: "jpg", ref: "poster" }, expected: { codec: "mjpeg", type: "video", width: 160, height: 90 } },
    { sdk: "n08", kind: "audio", body: { kind: "audio", format: "mp3", ref: "audio" }, expected: { codec: "mp3", type: "audio" } },
  ] as const;

  it.each(cases)("$sdk $kind task: output file probed over its delivery URL", async ({ sdk, kind, body, expected }) => {
    const client = await clientFor(sdk);
    const unwrap = sdk === "n08" ? enveloped : bare;
    const file = unwrap((await client.send("files.create", { body: { url: source.url("/ittybit/samples/video.mp4") } })).body);
    const created = unwrap((await client.send("tasks.create", { body: { file_id: file.id, ...body } })).body);
    const done = await pollTask(client, created.id, unwrap);
    expect(done.error ?? null).toBeNull();
    expect(done.status).toBe("completed");
    if (sdk !== "n08") expect(shapeProblems(done, TASK_SHAPE)).toEqual([]);
    expect(done.output).toMatchObject({ kind, ref: body.ref, status: "ready" });
    const probe = await probeUrl(done.output.url);
    const stream = probe.streams.find((s) => s.codec_type === expected.type);
    expect(stream?.codec_name).toBe(expected.codec);
    if ("width" in expected) expect(stream).toMatchObject({ width: expected.width, height: expected.height });
    if (kind !== "image") expect(Number(probe.format.duration)).toBeCloseTo(3, 0);
    const media = unwrap((await client.send("media.get", { id: file.media_id })).body);
    expect(media.urls[body.ref]).toBe(done.output.url);
    if (sdk !== "n08") expect(mediaProblems(media)).toEqual([]);
  });
});
