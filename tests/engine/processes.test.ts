// The engine across real processes on one PostgreSQL: a worker SIGKILLed mid-ingest loses nothing
// and duplicates nothing; two workers drain 200 executions, each run exactly once.
// PostgreSQL only: embedded PGlite is one process by design (it locks its data dir).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { fileKeyPrefix } from "@/lib/storage/object-key";
import { getStore } from "@/lib/storage/store";
import { parseTaskRequest } from "@/lib/tasks/schemas";
import { createTask } from "@/lib/tasks/tasks";
import { createTestProject } from "@/tests/helpers/api";
import { waitFor, waitForTaskDone } from "@/tests/helpers/engine";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startSourceServer } from "@/tests/helpers/source-server";

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

function startWorkerProcess(extra: Record<string, string> = {}): ChildProcess {
  // `node --import tsx` rather than the tsx binary: the worker must be the process we kill.
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/worker.ts")], {
    env: {
      ...process.env,
      MEDIABIT_DATA_DIR: env().dataDir,
      MEDIABIT_WORKER_LEASE_MS: "1500",
      MEDIABIT_WORKER_POLL_MS: "100",
      MEDIABIT_WORKER_CONCURRENCY: "4",
      ...extra,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("engine: embedded worker")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready: ${out}`)));
  });
}

describe.skipIf(!process.env.DATABASE_URL)("engine across processes (PostgreSQL)", () => {
  it("finishes an ingest after its worker is SIGKILLed mid-download, with exactly one stored file", async () => {
    const source = await startSourceServer();
    const fixture = await mediaFixture("video480");
    const size = readFileSync(fixture).length;
    // Slow enough that the kill lands mid-download.
    source.route("/slow.mp4", { file: fixture, contentType: "video/mp4", bytesPerSecond: Math.ceil(size / 4) });
    try {
      const p = await createTestProject("latest");
      const { task } = await createTask({ projectId: p.projectId, orgId: p.orgId }, parseTaskRequest({ kind: "ingest", url: source.url("/slow.mp4") }));
      const first = startWorkerProcess();
      await waitFor(async () => (source.sent.get("/slow.mp4") ?? 0) > size * 0.3, 30_000, "the download to start");
      first.kill("SIGKILL");
      await new Promise((r) => first.once("exit", r));
      const prisma = await db();
      expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("processing");

      const second = startWorkerProcess();
      const done = await waitForTaskDone(task.id, 60_000);
      second.kill("SIGTERM");
      expect(done.error).toBeNull();
      expect(done.status).toBe("succeeded");
      expect(source.hits.get("/slow.mp4")).toBe(2);
      const files = await prisma.file.findMany({ where: { projectId: p.projectId } });
      expect(files).toHaveLength(1);
      expect(files[0]!.status).toBe("ready");
      const keys: string[] = [];
      for await (const key of getStore().list(fileKeyPrefix({ projectId: p.projectId, fileId: files[0]!.id }))) keys.push(key);
      expect(keys).toEqual([files[0]!.storageKey]);
      const execution = await prisma.execution.findUniqueOrThrow({ where: { key: `task:${task.id}` } });
      expect(execution).toMatchObject({ status: "completed", attempt: 2 });
    } finally {
      await source.close();
    }
  }, 120_000);

  it("drains 200 executions with two worker processes, none run twice", async () => {
    const prisma = await db();
    const log = path.join(mkdtempSync(path.join(os.tmpdir(), "mediabit-drain-")), "runs.log");
    const ids = Array.from({ length: 200 }, () => newId("exe"));
    // The default lease: this test is about claiming, not about recovering from stalls.
    const a = startWorkerProcess({ MEDIABIT_WORKER_LEASE_MS: "30000" });
    const b = startWorkerProcess({ MEDIABIT_WORKER_LEASE_MS: "30000" });
    await Promise.all([ready(a), ready(b)]);
    await prisma.execution.createMany({
      data: ids.map((id, n) => ({ id, function: "engine.noop", payload: { n, log }, key: `drain:${id}`, maxAttempts: 3 })),
    });
    await waitFor(async () => (await prisma.execution.count({ where: { id: { in: ids }, status: "completed" } })) === 200, 90_000, "200 executions");
    a.kill("SIGTERM");
    b.kill("SIGTERM");
    const lines = readFileSync(log, "utf8").trim().split("\n");
    const executed = lines.map((line) => line.split(" ")[0]);
    expect(executed).toHaveLength(200);
    expect(new Set(executed).size).toBe(200);
    expect(new Set(executed)).toEqual(new Set(ids));
    const pids = new Set(lines.map((line) => line.split(" ")[2]));
    expect(pids.size).toBe(2);
  }, 120_000);
});
