// Cancelling reaches a task's running step on both drivers: the ffmpeg it runs ends within seconds. On Inngest (run
// in-process by @inngest/test) nothing aborts a running step, so the step watches its task row; on the embedded engine
// the worker aborts it, and a job's cancel reaches the encode running inside the job's tree.
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inngestFunctions } from "@/inngest/client";
import { db } from "@/lib/db/client";
import type { Worker } from "@/lib/engine/embedded";
import { setInngestSender } from "@/lib/engine/engine";
import { resetEnvForTests } from "@/lib/env";
import { TASK_WORKFLOW } from "@/lib/tasks/tasks";
import { call, createTestProject } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker, waitFor } from "@/tests/helpers/engine";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { processesMentioning } from "@/tests/helpers/processes";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";

vi.setConfig({ testTimeout: 240_000 });

// Slow enough that a 60 s clip is still encoding when the test cancels it.
const SLOW = { codec: "h265", quality: "very_high" };

let source: SourceServer;

beforeAll(async () => {
  source = await startSourceServer();
  source.route("/long.mp4", { file: await mediaFixture("longVideo"), contentType: "video/mp4" });
}, 120_000);

afterAll(async () => {
  await source.close();
});

/** ffmpeg processes working for this task (its scratch folder is named after it). */
const ffmpegsOf = (taskId: string) => processesMentioning(taskId).length;

describe("cancelling on Inngest (@inngest/test)", () => {
  type Event = { name: string; data: Record<string, unknown> };
  const sent: Event[] = [];

  beforeAll(() => {
    process.env.INNGEST_DEV = "1";
    resetEnvForTests();
    setInngestSender(async (event) => void sent.push(event as Event));
  });
  afterAll(() => {
    delete process.env.INNGEST_DEV;
    resetEnvForTests();
    setInngestSender(async () => {
      throw new Error("no Inngest client in this test");
    });
  });

  it("stops the running transform's ffmpeg when the task is cancelled mid-step", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/tasks", { key: p.key, body: { kind: "video", url: source.url("/long.mp4"), options: SLOW } });
    expect(created.status).toBe(201);
    const taskId = created.body.id as string;
    const event = sent.find((e) => e.name === `mediabit/${TASK_WORKFLOW}` && e.data.taskId === taskId);
    expect(event).toBeDefined();

    const fn = inngestFunctions.find((f) => f.id().endsWith("task-run"))!;
    const engine = new InngestTestEngine({ function: fn });
    const running = engine.execute({ events: [event!] as [Event] });
    await waitFor(async () => ffmpegsOf(taskId) > 0, 120_000, "the transform's ffmpeg to start");

    const cancelled = await call("POST", `/api/tasks/${taskId}/cancel`, { key: p.key });
    expect(cancelled.status).toBe(200);
    expect(sent).toContainEqual({ name: "mediabit/execution.cancel", data: { key: `task:${taskId}` } });
    // Inngest itself would stop the run only after this step; the step's own watch ends ffmpeg now.
    await waitFor(async () => ffmpegsOf(taskId) === 0, 10_000, "ffmpeg to exit");

    const { result, error } = await running;
    expect(error).toBeUndefined();
    expect(result).toEqual({ status: "skipped" });
    const prisma = await db();
    expect((await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe("cancelled");
    // Its unfinished output placeholder is gone; the ingested source stays.
    const files = await prisma.file.findMany({ where: { projectId: p.projectId } });
    expect(files.filter((f) => f.status !== "ready")).toEqual([]);
  });
});

describe("cancelling on the embedded engine", () => {
  let worker: Worker;
  beforeAll(() => {
    worker = startTestWorker();
  });
  afterAll(async () => {
    await stopTestWorker(worker);
  });

  it("stops the encode's ffmpeg when its job is cancelled mid-encode", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/jobs", { key: p.key, body: { kind: "video", input: source.url("/long.mp4"), options: SLOW } });
    expect(created.status).toBe(201);
    const jobId = created.body.id as string;
    const prisma = await db();
    const encode = await prisma.task.findFirstOrThrow({ where: { jobId, kind: "video" } });
    await waitFor(async () => ffmpegsOf(encode.id) > 0, 150_000, "the encode's ffmpeg to start");

    const cancelled = await call("POST", `/api/jobs/${jobId}/cancel`, { key: p.key });
    expect(cancelled.status).toBe(200);
    await waitFor(async () => ffmpegsOf(encode.id) === 0, 10_000, "ffmpeg to exit");
    await waitFor(async () => (await prisma.task.findUniqueOrThrow({ where: { id: encode.id } })).status === "cancelled", 10_000, "the encode to be cancelled");
    await waitFor(async () => (await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).status === "cancelled", 10_000, "the job to be cancelled");
  });
});
