// The real `task.run` workflow as an Inngest function, executed in-process by @inngest/test (no Inngest
// server): a task recorded the way the API records it in Inngest mode, then run to its end.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inngestFunctions, toInngestFunction } from "@/inngest/client";
import { taskRun } from "@/inngest/functions/task-run";
import { db } from "@/lib/db/client";
import { projectShare } from "@/lib/engine/settings";
import { dispatch, engineMode, setInngestSender } from "@/lib/engine/engine";
import type { Json, WorkflowDefinition } from "@/lib/engine/types";
import { resetEnvForTests } from "@/lib/env";
import { getStore } from "@/lib/storage/store";
import { parseTaskRequest } from "@/lib/tasks/schemas";
import { TASK_WORKFLOW, insertTask, prepareTask } from "@/lib/tasks/tasks";
import { call, createTestProject, type TestProject } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";

vi.setConfig({ testTimeout: 60_000 });

let source: SourceServer;
let video: Buffer;
const sha = (bytes: Buffer | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  source = await startSourceServer();
  const videoPath = await mediaFixture("videoWithAudio");
  video = readFileSync(videoPath);
  source.route("/video.mp4", { file: videoPath, contentType: "video/mp4" });
  source.route("/page.html", { status: 200, body: "<!doctype html><html><body>not a video</body></html>", contentType: "text/html" });
  await createTestProject();
}, 120_000);

afterAll(async () => {
  await source.close();
});

/** While set, the app believes Inngest runs its work: executions are recorded as handed over, never claimed locally. */
function useInngestMode(on: boolean): void {
  if (on) process.env.INNGEST_DEV = "1";
  else delete process.env.INNGEST_DEV;
  resetEnvForTests();
}

/** Records a task exactly as POST /tasks does, without dispatching it anywhere. */
async function recordTask(p: TestProject, body: Record<string, unknown>) {
  const scope = { projectId: p.projectId, orgId: p.orgId };
  const prepared = await prepareTask(scope, parseTaskRequest(body));
  const prisma = await db();
  const { task, enqueued } = await prisma.$transaction((tx) => insertTask(tx, scope, prepared));
  if (!enqueued) throw new Error("a standalone task is always enqueued");
  return { task, enqueued };
}

function taskRunFunction() {
  const fn = inngestFunctions.find((f) => f.id().endsWith("task-run"));
  if (!fn) throw new Error("task-run is not among the Inngest functions");
  return fn;
}

async function counts(p: TestProject) {
  const prisma = await db();
  return { files: await prisma.file.count({ where: { projectId: p.projectId } }), media: await prisma.media.count({ where: { projectId: p.projectId } }) };
}

describe("task.run on Inngest (@inngest/test)", () => {
  beforeAll(() => useInngestMode(true));
  afterAll(() => useInngestMode(false));

  it("is registered for the event the engine sends, with retries and cancellation", () => {
    const fn = taskRunFunction();
    expect(fn.id()).toBe("task-run");
    expect(engineMode()).toBe("inngest");
    type Config = { id: string; triggers: { event?: string; expression?: string }[]; steps: Record<string, { retries?: { attempts: number } }>; cancel?: { event: string; if?: string }[] };
    const config = fn["getConfig"]({ baseUrl: new URL("http://127.0.0.1:3000/api/inngest"), appPrefix: "mediabit" }) as Config[];
    const [main, failure] = config;
    expect(main?.triggers).toEqual([{ event: `mediabit/${TASK_WORKFLOW}` }]);
    // MEDIABIT_TASK_MAX_ATTEMPTS (5) attempts in all: the first plus four retries.
    expect(main?.steps.step?.retries?.attempts).toBe(4);
    expect(main?.cancel).toEqual([{ event: "mediabit/execution.cancel", if: "async.data.key == event.data.key" }]);
    // The failure handler is its own function, triggered by this one's final failure.
    expect(failure?.triggers[0]).toMatchObject({ event: "inngest/function.failed", expression: expect.stringContaining(main?.id ?? "?") });
  });

  it("keys each workflow's concurrency by project, and sends the project with every event", async () => {
    type Config = { id: string; concurrency?: { key?: string; limit: number }[] };
    for (const fn of inngestFunctions.filter((f) => !f.id().endsWith("-cancelled"))) {
      const [main] = fn["getConfig"]({ baseUrl: new URL("http://127.0.0.1:3000/api/inngest"), appPrefix: "mediabit" }) as Config[];
      expect(main?.concurrency, fn.id()).toEqual([{ key: "event.data.projectId", limit: projectShare() }]);
    }
    const p = await createTestProject("latest");
    const { enqueued } = await recordTask(p, { kind: "ingest", url: source.url("/video.mp4") });
    const sent: { name: string; data: Record<string, unknown> }[] = [];
    setInngestSender(async (event) => void sent.push(event));
    try {
      await dispatch([enqueued]);
    } finally {
      // As before: this process never started an Inngest client.
      setInngestSender(async () => {
        throw new Error("no Inngest client in this test");
      });
    }
    expect(sent).toEqual([{ name: `mediabit/${TASK_WORKFLOW}`, data: { taskId: enqueued.payload.taskId, key: enqueued.key, projectId: p.projectId }, id: enqueued.key }]);
  });

  it("runs an ingest task to success and stores the file byte for byte", async () => {
    const p = await createTestProject("2025-08-20");
    const { task, enqueued } = await recordTask(p, { kind: "ingest", url: source.url("/video.mp4"), folder: "inngest", filename: "in.mp4" });
    const prisma = await db();
    // In Inngest mode the execution row is only the record that the event went out: no local worker may claim it.
    expect((await prisma.execution.findUniqueOrThrow({ where: { id: enqueued.executionId } })).status).toBe("running");
    expect(task.status).toBe("queued");

    const engine = new InngestTestEngine({ function: taskRunFunction() });
    const events: [{ name: string; data: Record<string, unknown> }] = [{ name: `mediabit/${TASK_WORKFLOW}`, data: { ...enqueued.payload, key: enqueued.key } }];
    // The ingest is the task's one step, and the task turns succeeded in the transaction that publishes its file.
    const { step } = await engine.executeStep("ingest", { events });
    expect(step).toMatchObject({ name: "ingest", data: { file_id: task.outputFileId } });
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("succeeded");
    // Inngest calls the function once more after its last step (here: a whole run again): it finds the task finished,
    // reports how it ended and does no work twice.
    const { result, error, ctx } = await engine.execute({ events });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ status: "succeeded", output: { file_id: task.outputFileId } });
    expect(ctx.step.run).not.toHaveBeenCalled();

    const done = await prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(done).toMatchObject({ status: "succeeded", progress: 100, error: null });
    expect(done.finishedAt).toBeInstanceOf(Date);
    const file = await prisma.file.findUniqueOrThrow({ where: { id: done.outputFileId! } });
    expect(file).toMatchObject({ status: "ready", kind: "video", filesize: BigInt(video.length), path: "inngest/in.mp4" });
    const stored = await getStore().get(file.storageKey!);
    const chunks: Buffer[] = [];
    for await (const chunk of stored.body) chunks.push(chunk as Buffer);
    expect(sha(Buffer.concat(chunks))).toBe(sha(video));

    const api = await call("GET", `/api/tasks/${task.id}`, { key: p.key });
    expect(api.body).toMatchObject({ status: "completed", output: { id: file.id, kind: "video", status: "ready" } });
  });

  it("ends a failing ingest (an HTML page) as failed with the clear error, storing nothing", async () => {
    const p = await createTestProject("latest");
    const { task, enqueued } = await recordTask(p, { kind: "ingest", url: source.url("/page.html") });
    expect(await counts(p)).toEqual({ files: 1, media: 1 });
    const engine = new InngestTestEngine({ function: toInngestFunction(taskRun as unknown as WorkflowDefinition<Record<string, Json>>) });
    const events: [{ name: string; data: Record<string, unknown> }] = [{ name: `mediabit/${TASK_WORKFLOW}`, data: { ...enqueued.payload, key: enqueued.key } }];
    // The task's own failure is a step result ("fail" records it), not a thrown error: Inngest must not retry it.
    const { step } = await engine.executeStep("fail", { events });
    expect(step).toMatchObject({ name: "fail" });
    const { result, error } = await engine.execute({ events });
    expect(error).toBeUndefined();
    expect(result).toEqual({ status: "failed" });

    const prisma = await db();
    const done = await prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(done.status).toBe("failed");
    expect(done.errorKind).toBe("invalid_input");
    expect(done.error).toContain("HTML");
    expect(await counts(p)).toEqual({ files: 0, media: 0 });
    const api = await call("GET", `/api/tasks/${task.id}`, { key: p.key });
    expect(api.body).toMatchObject({ status: "failed", error: { kind: "invalid_input", message: expect.stringContaining("HTML") } });
  });

  it("onFailure (after the last retry) fails the task and removes its unfinished placeholders", async () => {
    const p = await createTestProject("latest");
    const { task, enqueued } = await recordTask(p, { kind: "ingest", url: source.url("/video.mp4") });
    expect(await counts(p)).toEqual({ files: 1, media: 1 });
    const onFailure = taskRunFunction()["onFailureFn"] as (ctx: { event: unknown; error: Error }) => Promise<void>;
    const original = { name: `mediabit/${TASK_WORKFLOW}`, data: { ...enqueued.payload, key: enqueued.key } };
    await onFailure({ event: { name: "inngest/function.failed", data: { function_id: "mediabit-task-run", run_id: "run_1", error: { message: "boom" }, event: original } }, error: new Error("worker exploded") });
    const done = await (await db()).task.findUniqueOrThrow({ where: { id: task.id } });
    expect(done).toMatchObject({ status: "failed", error: "worker exploded", errorKind: "processing_failed" });
    expect(await counts(p)).toEqual({ files: 0, media: 0 });
  });

  it("rejects (so Inngest retries) when the work itself breaks, not the task", async () => {
    const engine = new InngestTestEngine({ function: taskRunFunction() });
    // Inngest logs the step error it is about to retry; expected here.
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const { result, error } = await engine.execute({ events: [{ name: `mediabit/${TASK_WORKFLOW}`, data: { taskId: "task_doesnotexist00", key: "task:task_doesnotexist00" } }] });
      expect(result).toBeUndefined();
      expect(String((error as { message?: string } | undefined)?.message ?? error)).toMatch(/not found|No record/i);
    } finally {
      logged.mockRestore();
    }
  });
});

describe("/api/inngest without Inngest configured", () => {
  beforeAll(() => useInngestMode(false));

  it.each(["GET", "POST", "PUT"])("%s answers 404 in the caller's error shape", async (method) => {
    expect(engineMode()).toBe("embedded");
    const enveloped = await call(method, "/api/inngest");
    expect(enveloped.status).toBe(404);
    expect(enveloped.body).toMatchObject({ meta: { type: "error" }, data: null, error: { kind: "not_found", message: expect.stringMatching(/Inngest is not configured/) } });

    const bare = await call(method, "/api/inngest", { headers: { "Accept-Version": "2025-08-20" } });
    expect(bare.status).toBe(404);
    expect(bare.body).toEqual({ kind: "not_found", message: expect.stringMatching(/Inngest is not configured/) });

    const sdk = await call(method, "/api/inngest", { headers: { "User-Agent": "ittybit/sdk/1.0.0", "X-Fern-SDK-Name": "Ittybit", "X-Fern-SDK-Version": "1.0.0" } });
    expect(sdk.status).toBe(404);
    expect(sdk.body).not.toHaveProperty("meta");
    expect(sdk.body.message).toMatch(/Inngest is not configured/);
  });
});
