// A source that drips bytes (each one resetting any idle timer) or takes too long in all: the download fails for
// good, once, with an error that says why, and stores nothing. A slow source above the minimum still succeeds.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Worker } from "@/lib/engine/embedded";
import { resetEnvForTests } from "@/lib/env";
import { call, createTestProject, data, type TestProject } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker, waitFor, waitForTaskDone } from "@/tests/helpers/engine";
import { mediaFixture } from "@/tests/helpers/media-fixtures";

/** Serves `body` (with its Content-Length) at `bytes` every `everyMs`; counts bytes, requests and hang-ups. */
type PacedServer = { url: string; sent: () => number; requests: () => number; hangUps: () => number; close: () => Promise<void> };

async function startPacedServer(body: Buffer, pace: { bytes: number; everyMs: number }): Promise<PacedServer> {
  let sent = 0;
  let requests = 0;
  let hangUps = 0;
  const server = http.createServer((req, res) => {
    requests++;
    res.writeHead(200, { "content-type": "video/mp4", "content-length": String(body.length) });
    let offset = 0;
    const drip = setInterval(() => {
      const chunk = body.subarray(offset, offset + pace.bytes);
      offset += chunk.length;
      sent += chunk.length;
      res.write(chunk);
      if (offset >= body.length) {
        clearInterval(drip);
        res.end();
      }
    }, pace.everyMs);
    res.on("close", () => {
      clearInterval(drip);
      if (offset < body.length) hangUps++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/drip.mp4`,
    sent: () => sent,
    requests: () => requests,
    hangUps: () => hangUps,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SETTINGS = ["MEDIABIT_DOWNLOAD_MIN_BYTES_PER_SECOND", "MEDIABIT_DOWNLOAD_MIN_RATE_WINDOW_SECONDS", "MEDIABIT_DOWNLOAD_MAX_SECONDS"] as const;

function useSettings(values: Partial<Record<(typeof SETTINGS)[number], string>>): void {
  for (const name of SETTINGS) {
    if (values[name] === undefined) delete process.env[name];
    else process.env[name] = values[name];
  }
  resetEnvForTests();
}

let worker: Worker;
let trickle: PacedServer;
let slow: PacedServer;
let videoBytes: number;

beforeAll(async () => {
  worker = startTestWorker();
  // 120 bytes of "video", one a second.
  trickle = await startPacedServer(Buffer.alloc(120), { bytes: 1, everyMs: 1000 });
  const video = readFileSync(await mediaFixture("videoWithAudio"));
  videoBytes = video.length;
  // The whole file in about four seconds: a fortieth every 100 ms.
  slow = await startPacedServer(video, { bytes: Math.ceil(video.length / 40), everyMs: 100 });
}, 120_000);

afterEach(() => useSettings({}));

afterAll(async () => {
  await stopTestWorker(worker);
  await slow.close();
  await trickle.close();
});

async function counts(p: TestProject) {
  const prisma = await db();
  return { files: await prisma.file.count({ where: { projectId: p.projectId } }), media: await prisma.media.count({ where: { projectId: p.projectId } }) };
}

async function executionOf(taskId: string) {
  return (await db()).execution.findUniqueOrThrow({ where: { key: `task:${taskId}` } });
}

describe("download pace (MEDIABIT_DOWNLOAD_*)", () => {
  it("fails a source dripping one byte a second within the rate window, once, with the reason, storing nothing", async () => {
    // The default minimum (32 KiB/s), over a 2 s window instead of 30 s.
    useSettings({ MEDIABIT_DOWNLOAD_MIN_RATE_WINDOW_SECONDS: "2" });
    const p = await createTestProject("latest");
    const before = { sent: trickle.sent(), requests: trickle.requests(), hangUps: trickle.hangUps() };
    const created = await call("POST", "/api/tasks", { key: p.key, body: { kind: "ingest", url: trickle.url } });
    expect(created.status).toBe(201);
    const task = await waitForTaskDone(data(created).id as string);
    expect(task.status).toBe("failed");
    expect(task.errorKind).toBe("invalid_input");
    expect(task.error).toMatch(/^The download of http:\/\/127\.0\.0\.1:\d+\/drip\.mp4 was stopped: the source sent \d+ B in 2(\.\d)? s, below the minimum of 32 KiB\/s/);
    expect(task.error).toContain("nothing was stored");
    // Stopped about one window in (the source would have dripped for 120 s), and hung up on.
    expect(trickle.sent() - before.sent).toBeLessThan(8);
    expect(trickle.hangUps() - before.hangUps).toBe(1);
    // Final, not retried: one request, one attempt, the execution done.
    expect(trickle.requests() - before.requests).toBe(1);
    expect(await executionOf(task.id)).toMatchObject({ status: "completed", attempt: 1 });
    expect(await counts(p)).toEqual({ files: 0, media: 0 });
    const api = await call("GET", `/api/tasks/${task.id}`, { key: p.key });
    expect(api.body).toMatchObject({ status: "failed", error: { kind: "invalid_input", message: expect.stringContaining("below the minimum of 32 KiB/s") } });
  });

  it("answers POST /api/files with a 4xx naming the rule when the source drips", async () => {
    useSettings({ MEDIABIT_DOWNLOAD_MIN_RATE_WINDOW_SECONDS: "1" });
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/files", { key: p.key, body: { url: trickle.url } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.message).toContain("below the minimum of 32 KiB/s");
    expect(await counts(p)).toEqual({ files: 0, media: 0 });
  });

  it("lets a slow source above the minimum finish, over several windows", async () => {
    // The source sends about a quarter of the file per second; the minimum is a quarter of that.
    useSettings({ MEDIABIT_DOWNLOAD_MIN_RATE_WINDOW_SECONDS: "1", MEDIABIT_DOWNLOAD_MIN_BYTES_PER_SECOND: String(Math.floor(videoBytes / 16)) });
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/tasks", { key: p.key, body: { kind: "ingest", url: slow.url } });
    const task = await waitForTaskDone(data(created).id as string);
    expect(task.error).toBeNull();
    expect(task.status).toBe("succeeded");
    const file = await (await db()).file.findUniqueOrThrow({ where: { id: task.outputFileId ?? "" } });
    expect({ status: file.status, kind: file.kind, filesize: Number(file.filesize) }).toEqual({ status: "ready", kind: "video", filesize: videoBytes });
    // It really was slow: the task ran for more than two windows.
    expect(task.finishedAt!.getTime() - task.startedAt!.getTime()).toBeGreaterThan(2000);
  });

  it("stops a download past the total limit even when it is fast enough", async () => {
    useSettings({ MEDIABIT_DOWNLOAD_MIN_BYTES_PER_SECOND: "0", MEDIABIT_DOWNLOAD_MAX_SECONDS: "1.5" });
    const p = await createTestProject("latest");
    const before = { requests: slow.requests(), hangUps: slow.hangUps() };
    const created = await call("POST", "/api/tasks", { key: p.key, body: { kind: "ingest", url: slow.url } });
    const task = await waitForTaskDone(data(created).id as string);
    expect(task.status).toBe("failed");
    expect(task.errorKind).toBe("invalid_input");
    expect(task.error).toMatch(/did not finish within 1\.5 s \(MEDIABIT_DOWNLOAD_MAX_SECONDS\); \d+(\.\d)? KiB had arrived; nothing was stored/);
    expect(slow.requests() - before.requests).toBe(1);
    expect(slow.hangUps() - before.hangUps).toBe(1);
    expect(await executionOf(task.id)).toMatchObject({ status: "completed", attempt: 1 });
    expect(await counts(p)).toEqual({ files: 0, media: 0 });
  });
});

describe("one project's dripping sources and another project's work (issue 13, finding 4)", () => {
  it("runs project B's image task while project A's three dripping ingests hold and then lose their slots", async () => {
    // Two slots (cores here), a 2 s window: A's drips fail one window after each began, and B must not wait behind the third.
    useSettings({ MEDIABIT_DOWNLOAD_MIN_RATE_WINDOW_SECONDS: "2" });
    const a = await createTestProject("latest");
    const b = await createTestProject("latest");
    const photo = await startPacedServer(readFileSync(await mediaFixture("png")), { bytes: 1 << 20, everyMs: 1 });
    const drip = await startPacedServer(Buffer.alloc(120), { bytes: 1, everyMs: 1000 });
    try {
      const stored = await call("POST", "/api/files", { key: b.key, body: { url: photo.url } });
      expect(stored.status).toBe(201);
      const submit = async (p: TestProject, body: Record<string, unknown>) => {
        const res = await call("POST", "/api/tasks", { key: p.key, body });
        expect(res.status).toBe(201);
        return data(res).id as string;
      };
      // A's first drip, then, a second into it, two more: its slots free one at a time, about a second apart.
      const first = await submit(a, { kind: "ingest", url: drip.url });
      await waitFor(async () => drip.sent() >= 1, 10_000, "A's first drip to begin");
      const second = await submit(a, { kind: "ingest", url: drip.url });
      const third = await submit(a, { kind: "ingest", url: drip.url });
      await waitFor(async () => (await db()).execution.count({ where: { projectId: a.projectId, status: "running" } }).then((n) => n === 2), 10_000, "A to hold both slots");
      const image = await submit(b, { kind: "image", file_id: data(stored).id, options: { width: 32, format: "webp" } });

      const done = await waitForTaskDone(image, 30_000);
      expect(done.status).toBe("succeeded");
      const aTasks = await Promise.all([first, second, third].map((id) => waitForTaskDone(id, 30_000)));
      for (const task of aTasks) {
        expect(task.status).toBe("failed");
        expect(task.error).toContain("below the minimum of 32 KiB/s");
        expect(await executionOf(task.id)).toMatchObject({ attempt: 1 });
      }
      // B took the first slot A's first drip gave up; A's third waited for the next one, after B had finished.
      const [bRun, aThird] = [await executionOf(image), await executionOf(third)];
      expect(bRun.finishedAt!.getTime()).toBeLessThanOrEqual(aThird.startedAt!.getTime());
    } finally {
      await photo.close();
      await drip.close();
    }
  });
});
