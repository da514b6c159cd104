// The tasks pages' reads and actions: cursor pages newest first with status/kind/date filters in the API's `latest`
// shapes, the plan's steps with their times and a hint for an error; cancel and retry only within the project.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { TaskStatus } from "@/lib/db/generated/client";
import { ACTIVITY_PAGE_SIZE, getJobView, getRunView, getTaskView, listTaskActivity } from "@/lib/dashboard/queries";
import { retryTask } from "@/lib/dashboard/retry-task";
import type { Worker } from "@/lib/engine/embedded";
import { newId } from "@/lib/ids";
import { cancelTask } from "@/lib/tasks/tasks";
import { call, createTestProject, data, type TestProject } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker, waitForTaskDone } from "@/tests/helpers/engine";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { waitFor } from "@/tests/helpers/wait";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";

const ORIGIN = "https://media.example.test";
let source: SourceServer;

beforeAll(async () => {
  source = await startSourceServer();
  source.route("/clip.mp4", { file: await mediaFixture("videoNoAudio"), contentType: "video/mp4" });
  source.route("/notes.txt", { status: 200, body: "not media", contentType: "text/plain" });
});

afterAll(() => source.close());

const scopeOf = (project: TestProject) => ({ orgId: project.orgId, projectId: project.projectId });

/** Task rows of a project, one second apart (oldest first), without the engine: the list reads rows. */
async function seedTasks(project: TestProject, specs: { kind: string; status: TaskStatus; at: Date }[]): Promise<string[]> {
  const prisma = await db();
  const ids: string[] = [];
  for (const spec of specs) {
    const id = newId("task");
    ids.push(id);
    await prisma.task.create({
      data: { id, projectId: project.projectId, kind: spec.kind, status: spec.status, input: { requested_kind: spec.kind, source: { type: "url", url: "https://example.test/a.mp4" } }, createdAt: spec.at },
    });
  }
  return ids;
}

async function createTask(project: TestProject, body: Record<string, unknown>): Promise<string> {
  const res = await call("POST", "/api/tasks", { key: project.key, body });
  expect(res.status).toBe(201);
  return data(res).id as string;
}

describe("listTaskActivity", () => {
  it("pages newest first by cursor until the last task, only the project's own", async () => {
    const project = await createTestProject("latest");
    const other = await createTestProject("latest");
    const start = Date.UTC(2026, 0, 1);
    const count = ACTIVITY_PAGE_SIZE + 3;
    const ids = await seedTasks(project, Array.from({ length: count }, (_, i) => ({ kind: "video", status: "succeeded" as const, at: new Date(start + i * 1000) })));
    await seedTasks(other, [{ kind: "video", status: "queued", at: new Date(start + 500) }]);

    const first = await listTaskActivity(scopeOf(project), {}, ORIGIN);
    expect(first.items.map((t) => t.id)).toEqual(ids.toReversed().slice(0, ACTIVITY_PAGE_SIZE));
    expect(first.next).toBe(ids[3]);
    const second = await listTaskActivity(scopeOf(project), { after: first.next! }, ORIGIN);
    expect(second.items.map((t) => t.id)).toEqual(ids.slice(0, 3).toReversed());
    expect(second.next).toBeNull();
  });

  it("filters by status group, kind and creation date", async () => {
    const project = await createTestProject("latest");
    const day = (d: number) => new Date(Date.UTC(2026, 5, d, 12));
    const [queued, processing, failed, image, cancelled] = await seedTasks(project, [
      { kind: "video", status: "queued", at: day(1) },
      { kind: "video", status: "processing", at: day(2) },
      { kind: "video", status: "failed", at: day(3) },
      { kind: "image", status: "succeeded", at: day(4) },
      { kind: "video", status: "cancelled", at: day(5) },
    ]);
    const ids = async (filters: Parameters<typeof listTaskActivity>[1]) => (await listTaskActivity(scopeOf(project), filters, ORIGIN)).items.map((t) => t.id);
    expect(await ids({ status: "active" })).toEqual([processing, queued]);
    expect(await ids({ status: "failed" })).toEqual([failed]);
    expect(await ids({ kind: "image" })).toEqual([image]);
    expect(await ids({ createdAfter: day(2).toISOString(), createdBefore: day(4).toISOString() })).toEqual([image, failed, processing]);
    expect(await ids({ status: "cancelled", kind: "image" })).toEqual([]);
    expect(await ids({ kind: "video", createdAfter: day(3).toISOString() })).toEqual([cancelled, failed]);
  });
});

describe("task details", () => {
  let worker: Worker;
  beforeAll(() => {
    worker = startTestWorker();
  });
  afterAll(() => stopTestWorker(worker));

  it("shows a finished video task's plan steps with their times and its output linked for delivery", async () => {
    const project = await createTestProject("latest");
    const id = await createTask(project, { kind: "video", url: source.url("/clip.mp4"), options: { width: 160, format: "mp4" } });
    expect((await waitForTaskDone(id)).status).toBe("succeeded");
    const view = await getTaskView(scopeOf(project), id, ORIGIN);
    expect(view).toMatchObject({ status: "succeeded", progress: 100, error: null, canRetry: false, options: { width: 160, format: "mp4" } });
    expect(view.steps.length).toBeGreaterThan(0);
    expect(view.steps[0]).toMatchObject({ tool: "ffmpeg", ms: expect.any(Number), summary: expect.stringContaining("-i ") });
    expect(view.output).toMatchObject({ kind: "video", width: 160, url: expect.stringMatching(/^https:\/\/media\.example\.test\/f\//) });
    expect(view.mediaId).toMatch(/^med_/);
  });

  it("gives a failed task's error with a hint of what to do", async () => {
    const project = await createTestProject("latest");
    const id = await createTask(project, { kind: "video", url: source.url("/notes.txt") });
    expect((await waitForTaskDone(id)).status).toBe("failed");
    const view = await getTaskView(scopeOf(project), id, ORIGIN);
    expect(view.error?.message).toBeTruthy();
    expect(view.error?.hint).toMatch(/retry|upload|file/i);
    expect(view.canRetry).toBe(true);
  });

  it("shows a run as its tasks with each one's state", async () => {
    const project = await createTestProject("latest");
    const res = await call("POST", "/api/runs", {
      key: project.key,
      body: { input: source.url("/clip.mp4"), tasks: [{ kind: "ingest", next: [{ kind: "image", options: { width: 64, format: "webp" } }] }] },
    });
    expect(res.status).toBe(201);
    const runId = data(res).id as string;
    const prisma = await db();
    await waitFor(async () => ["succeeded", "failed"].includes((await prisma.run.findUniqueOrThrow({ where: { id: runId } })).status), 60_000, "the run");
    const run = await getRunView(scopeOf(project), runId, ORIGIN);
    expect(run.tasks.map((t) => [t.kind, t.status])).toEqual([
      ["ingest", "succeeded"],
      ["image", "succeeded"],
    ]);
    expect(run.tasks[1]!.parentId).toBe(run.tasks[0]!.id);
    expect(run.tasks.every((t) => !t.canRetry)).toBe(true);
  });
});

describe("job details", () => {
  let worker: Worker;
  beforeAll(() => {
    worker = startTestWorker();
  });
  afterAll(() => stopTestWorker(worker));

  it("shows a job's steps in order and, once it succeeds, its encode's delivery URL as the output", async () => {
    const project = await createTestProject("latest");
    const res = await call("POST", "/api/jobs", { key: project.key, body: { kind: "video", input: source.url("/clip.mp4"), options: { width: 96 } } });
    expect(res.status).toBe(201);
    const jobId = data(res).id as string;
    const prisma = await db();
    await waitFor(async () => ["succeeded", "failed"].includes((await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).status), 60_000, "the job");
    const job = await getJobView(scopeOf(project), jobId, ORIGIN);
    expect(job.status).toBe("succeeded");
    expect(job.tasks.map((t) => [t.kind, t.status])).toEqual([
      ["probe", "succeeded"],
      // Tasks show the kind their request named (a job's download is an `import`).
      ["import", "succeeded"],
      ["video", "succeeded"],
    ]);
    expect(job.output).toMatch(/^https:\/\/media\.example\.test\/f\/.+\.mp4$/);
    expect(job.output).toBe(job.tasks[2]!.output?.url);
  });
});

describe("cancel and retry", () => {
  it("cancels only the project's own task: another project's is not found and stays queued", async () => {
    const project = await createTestProject("latest");
    const other = await createTestProject("latest");
    const id = await createTask(project, { kind: "video", url: source.url("/clip.mp4") });
    await expect(cancelTask(scopeOf(other), id)).rejects.toMatchObject({ code: "task_not_found" });
    expect((await (await db()).task.findUniqueOrThrow({ where: { id } })).status).toBe("queued");
    expect((await cancelTask(scopeOf(project), id)).status).toBe("cancelled");
  });

  it("retries a cancelled task as a new task with the same request, leaving the old one as it was", async () => {
    const project = await createTestProject("latest");
    const id = await createTask(project, { kind: "video", url: source.url("/clip.mp4"), options: { width: 96, format: "webm" }, ref: "small", metadata: { take: 2 } });
    await cancelTask(scopeOf(project), id);
    const retried = await retryTask(scopeOf(project), id);
    expect(retried.id).not.toBe(id);
    const prisma = await db();
    const [old, fresh] = await Promise.all([prisma.task.findUniqueOrThrow({ where: { id } }), prisma.task.findUniqueOrThrow({ where: { id: retried.id } })]);
    expect(old.status).toBe("cancelled");
    expect(fresh).toMatchObject({ kind: "video", status: "queued", input: old.input, options: old.options, ref: "small", metadata: { take: 2 } });
    // The first attempt's download made its own media item; the retry makes a new one rather than adding to it.
    expect(fresh.mediaId).not.toBe(old.mediaId);
    await cancelTask(scopeOf(project), retried.id);

    // Once the cancelled attempt's media item is cleaned up, a retry still makes its own.
    await prisma.file.deleteMany({ where: { mediaId: retried.mediaId! } });
    await prisma.media.delete({ where: { id: retried.mediaId! } });
    const again = await retryTask(scopeOf(project), retried.id);
    expect(again.mediaId).toMatch(/^med_/);
    expect(again.mediaId).not.toBe(retried.mediaId);
    await cancelTask(scopeOf(project), again.id);
  });

  it("refuses to retry an unfinished task, another project's task, or one inside a run", async () => {
    const project = await createTestProject("latest");
    const other = await createTestProject("latest");
    const id = await createTask(project, { kind: "video", url: source.url("/clip.mp4") });
    await expect(retryTask(scopeOf(project), id)).rejects.toMatchObject({ code: "conflict" });
    await cancelTask(scopeOf(project), id);
    await expect(retryTask(scopeOf(other), id)).rejects.toMatchObject({ code: "task_not_found" });
    const [inRun] = await seedTasks(project, [{ kind: "video", status: "failed", at: new Date() }]);
    const prisma = await db();
    const runId = newId("run");
    await prisma.run.create({ data: { id: runId, projectId: project.projectId, status: "failed" } });
    await prisma.task.update({ where: { id: inRun! }, data: { runId } });
    await expect(retryTask(scopeOf(project), inRun!)).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("run") });
    expect(await prisma.task.count({ where: { projectId: project.projectId } })).toBe(2);
  });
});
