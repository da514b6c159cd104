// Head starts: POST /api/tasks begins a transform of a stored file while the task's rows are written, when this
// process's worker is free (Worker.offer begins it); the execution takes it over, and one nobody takes is stopped and
// cleaned up.
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { workflows } from "@/inngest/functions";
import { db } from "@/lib/db/client";
import type { File } from "@/lib/db/generated/client";
import type { Worker } from "@/lib/engine/embedded";
import { dispatch, enqueue, setLocalWorker } from "@/lib/engine/engine";
import { headStartCounts } from "@/lib/engine/head-starts";
import type { WorkflowDefinition } from "@/lib/engine/types";
import { scratchDir } from "@/lib/files/scratch";
import { takeTransformHeadStart, transformHeadStart } from "@/lib/files/transform";
import { newId } from "@/lib/ids";
import { taskExecutionKey } from "@/lib/tasks/execution-key";
import { call, createTestProject, data, type TestProject } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker, waitFor, waitForTaskDone } from "@/tests/helpers/engine";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { processesMentioning } from "@/tests/helpers/processes";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";

let worker: Worker | undefined;
let source: SourceServer;
let project: TestProject;
let photo: File;
let video: File;

/** What the scratch folder holds for a task (its output folder, an S3 input copy). */
function scratchEntries(taskId: string): string[] {
  try {
    return readdirSync(scratchDir()).filter((name) => name.startsWith(`${taskId}-`));
  } catch {
    return [];
  }
}

function countsSince(before: ReturnType<typeof headStartCounts>) {
  const now = headStartCounts();
  return { started: now.started - before.started, taken: now.taken - before.taken, discarded: now.discarded - before.discarded };
}

async function ingest(path: string): Promise<File> {
  const res = await call("POST", "/api/files", { key: project.key, body: { url: source.url(path) } });
  expect(res.status).toBe(201);
  return (await db()).file.findUniqueOrThrow({ where: { id: data(res).id as string } });
}

const napRuns: string[] = [];
/** A workflow that holds its slot for a moment, to fill the worker between an offer and its hand-over. */
const nap: WorkflowDefinition<{ name: string }> = {
  name: "test.head-start-nap",
  event: "test/head-start-nap",
  handler: async ({ payload }) => {
    napRuns.push(payload.name);
    await new Promise((r) => setTimeout(r, 200));
  },
};

beforeAll(async () => {
  worker = startTestWorker({ definitions: [...workflows, nap as never] });
  setLocalWorker(worker);
  source = await startSourceServer();
  source.route("/photo.png", { file: await mediaFixture("png"), contentType: "image/png" });
  source.route("/long.mp4", { file: await mediaFixture("longVideo"), contentType: "video/mp4" });
  project = await createTestProject();
  [photo, video] = [await ingest("/photo.png"), await ingest("/long.mp4")];
}, 120_000);

// Head starts stay within the project's share of the worker (half its slots): a test begins once the executions of the
// one before (whose tasks end just before their executions do) have left the worker.
beforeEach(async () => {
  await waitFor(async () => (worker?.active() ?? 0) === 0, 10_000, "the worker to be idle");
});

afterAll(async () => {
  if (worker) await stopTestWorker(worker);
  await source.close();
});

describe("POST /api/tasks head start", () => {
  it("starts the transform before the task's rows commit and hands it to the worker, which publishes it once", async () => {
    const before = headStartCounts();
    const res = await call("POST", "/api/tasks", { key: project.key, body: { kind: "image", file_id: photo.id, options: { width: 64, format: "webp" } } });
    expect(res.status).toBe(201);
    const task = await waitForTaskDone(data(res).id as string);
    expect(task.status).toBe("succeeded");
    expect(countsSince(before)).toEqual({ started: 1, taken: 1, discarded: 0 });
    const output = await (await db()).file.findUniqueOrThrow({ where: { id: task.outputFileId ?? "" } });
    expect({ status: output.status, type: output.type, width: output.width }).toEqual({ status: "ready", type: "image/webp", width: 64 });
    // The plan it ran is kept on the task with how long each step took.
    expect(task.plan).toMatchObject({ steps: [{ tool: "sharp", ms: expect.any(Number) }] });
    await waitFor(async () => scratchEntries(task.id).length === 0, 10_000, "the scratch folder to go");
  });

  it("keeps to one head start at a time when requests arrive together; every task publishes exactly one output", async () => {
    const before = headStartCounts();
    const responses = await Promise.all(
      [40, 41, 42, 43, 44, 45].map((width) => call("POST", "/api/tasks", { key: project.key, body: { kind: "image", file_id: photo.id, options: { width, format: "webp" } } })),
    );
    expect(responses.map((res) => res.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const tasks = await Promise.all(responses.map((res) => waitForTaskDone(data(res).id as string)));
    expect(tasks.map((task) => task.status)).toEqual(Array(6).fill("succeeded"));
    const outputs = await (await db()).file.findMany({ where: { id: { in: tasks.map((task) => task.outputFileId ?? "") } }, orderBy: { width: "asc" } });
    expect(outputs.map((file) => [file.status, file.width])).toEqual([40, 41, 42, 43, 44, 45].map((width) => ["ready", width]));
    const counts = countsSince(before);
    expect(counts.started).toBeGreaterThanOrEqual(1);
    expect(counts.started).toBe(counts.taken + counts.discarded);
    // Scratch folders go right after publishing (a dropped head start's, once its sharp call returns).
    await waitFor(async () => tasks.every((task) => scratchEntries(task.id).length === 0), 10_000, "the scratch folders to go");
  });

  it("drops the head start when the hand-over finds no free slot (the worker filled up meanwhile); the execution still runs once", async () => {
    const prisma = await db();
    const disposed: string[] = [];
    const before = headStartCounts();
    const [first, second] = [newId("exe"), newId("exe")];
    // Both offered while the project's share (one of the worker's two slots) is free; the first hand-over takes it,
    // so the second finds none and waits in the queue.
    const a = await prisma.$transaction((tx) => enqueue(tx, nap.name, { name: "first" }, { key: first, projectId: project.projectId }));
    const b = await prisma.$transaction((tx) =>
      enqueue(tx, nap.name, { name: "second" }, { key: second, projectId: project.projectId, headStart: { begin: () => ({ dispose: async () => void disposed.push(second) }) } }),
    );
    expect([a.handover, b.handover].map(Boolean)).toEqual([true, true]);
    expect(countsSince(before)).toEqual({ started: 1, taken: 0, discarded: 0 });
    await dispatch([a]);
    await dispatch([b]);
    expect(countsSince(before)).toEqual({ started: 1, taken: 0, discarded: 1 });
    expect(disposed).toEqual([second]);
    await waitFor(async () => (await prisma.execution.count({ where: { key: { in: [first, second] }, status: "completed" } })) === 2, 10_000, "both executions");
    expect(napRuns.sort()).toEqual(["first", "second"]);
    expect(countsSince(before)).toEqual({ started: 1, taken: 0, discarded: 1 });
  });

  it("does not start ahead without a free local worker; the worker that claims the task later runs it afresh", async () => {
    await stopTestWorker(worker as Worker);
    worker = undefined;
    const before = headStartCounts();
    const res = await call("POST", "/api/tasks", { key: project.key, body: { kind: "image", file_id: photo.id, options: { width: 32, format: "png" } } });
    expect(res.status).toBe(201);
    expect(countsSince(before)).toEqual({ started: 0, taken: 0, discarded: 0 });
    worker = startTestWorker();
    const task = await waitForTaskDone(data(res).id as string);
    expect(task.status).toBe("succeeded");
    expect(countsSince(before)).toEqual({ started: 0, taken: 0, discarded: 0 });
  });
});

describe("Worker.offer with a transform head start", () => {
  const headStartFor = (taskId: string, kind: string, options: Record<string, unknown>, input: File) => {
    const headStart = transformHeadStart({ taskId, kind, options }, { input, output: photo });
    if (!headStart) throw new Error("no head start for a ready file");
    return { key: taskExecutionKey(taskId), ...headStart };
  };

  it("runs one at a time; dropping one kills its ffmpeg and removes its scratch folder", async () => {
    const real = worker as Worker;
    const taskId = newId("task");
    const before = headStartCounts();
    expect(real.offer(project.projectId, headStartFor(taskId, "video", { codec: "h265", quality: "very_high" }, video))).toBeDefined();
    expect(real.offer(project.projectId, headStartFor(newId("task"), "image", { width: 16 }, photo))).toBeDefined();
    expect(countsSince(before)).toEqual({ started: 1, taken: 0, discarded: 0 });
    const ffmpeg = await waitFor(async () => processesMentioning(taskId).length > 0, 20_000, "ffmpeg of the head start");
    expect(ffmpeg).toBe(true);
    // Taken for something else: dropped.
    expect(real.takeHeadStart(taskExecutionKey(taskId), () => false)).toBeUndefined();
    await waitFor(async () => processesMentioning(taskId).length === 0 && scratchEntries(taskId).length === 0, 10_000, "the head start to stop");
    expect(countsSince(before)).toEqual({ started: 1, taken: 0, discarded: 1 });
  });

  it("drops one its task's transform finds begun for other rows", async () => {
    const real = worker as Worker;
    const taskId = newId("task");
    const before = headStartCounts();
    expect(real.offer(project.projectId, headStartFor(taskId, "image", { width: 16, format: "webp" }, photo))).toBeDefined();
    expect(takeTransformHeadStart({ taskId, kind: "image", options: { width: 16, format: "webp" }, inputFileId: video.id, outputFileId: photo.id })).toBeUndefined();
    await waitFor(async () => countsSince(before).discarded === 1 && scratchEntries(taskId).length === 0, 10_000, "the mismatched head start to go");
    expect(countsSince(before)).toEqual({ started: 1, taken: 0, discarded: 1 });
  });

  it("discards one that nobody takes within its time", async () => {
    const real = worker as Worker;
    const taskId = newId("task");
    const before = headStartCounts();
    expect(real.offer(project.projectId, { ...headStartFor(taskId, "image", { width: 16, format: "webp" }, photo), unclaimedMs: 300 })).toBeDefined();
    await waitFor(async () => countsSince(before).discarded === 1 && scratchEntries(taskId).length === 0, 10_000, "the unclaimed head start to go");
    expect(countsSince(before)).toEqual({ started: 1, taken: 0, discarded: 1 });
  });
});
