// The tasks pages' server actions through the real HTTP stack of a production build (`next build` first): cancel and
// retry act only on a task of the project named (another project's task is not found and stays as it was), retry makes
// a new task with the same request, and without a session nothing happens.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, isBuilt, postCredentials, postServerAction, startBuiltServer, type Server } from "@/tests/auth/built-server";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";

const OWNER = { email: "owner@dashboard-tasks.test", password: "dashboard tasks owner" };
const KEY = "ittybit_test_dashboard_tasks_key_0123456789";
const ACTIONS = "lib/dashboard/actions/tasks.ts";

let server: Server;
let source: SourceServer;
let origin = "";
let projectId = "";
let otherProjectId = "";

beforeAll(async () => {
  if (!isBuilt) return;
  source = await startSourceServer();
  // A download that takes minutes: the task is still unfinished whenever the test looks.
  source.route("/slow.mp4", { file: await mediaFixture("videoNoAudio"), contentType: "video/mp4", bytesPerSecond: 2048 });
  server = await startBuiltServer(0, {
    MEDIABIT_BOOTSTRAP_EMAIL: OWNER.email,
    MEDIABIT_BOOTSTRAP_PASSWORD: OWNER.password,
    MEDIABIT_BOOTSTRAP_KEY: KEY,
    MEDIABIT_ALLOW_PRIVATE_HOSTS: "127.0.0.1",
  });
  origin = server.origin;
  projectId = /prj_[0-9A-Za-z]+/.exec(await (await api("GET", "/api/projects")).text())?.[0] ?? "";
  const other = (await (await api("POST", "/api/projects", { name: "Other" })).json()) as { id?: string; data?: { id: string } };
  otherProjectId = other.data?.id ?? other.id ?? "";
}, 120_000);

afterAll(async () => {
  server?.stop();
  await source?.close();
});

function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${origin}${path}`, {
    method,
    headers: { Authorization: `Bearer ${KEY}`, "Api-Version": "latest", ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function taskOf(id: string): Promise<Record<string, unknown>> {
  const response = await api("GET", `/api/tasks/${id}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as Record<string, unknown> & { data?: Record<string, unknown> };
  return body.data ?? body;
}

async function createTask(): Promise<string> {
  const response = await api("POST", "/api/tasks", { kind: "video", url: source.url("/slow.mp4"), options: { width: 96, format: "webm" } });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return /task_[0-9A-Za-z]+/.exec(text)?.[0] ?? "";
}

async function callAction(name: string, args: unknown[], jar?: CookieJar): Promise<string> {
  const response = await postServerAction(origin, "/dashboard/tasks", { file: ACTIONS, name }, args, { jar });
  expect(response.status).toBe(200);
  return response.text();
}

describe.skipIf(!isBuilt)("tasks actions over HTTP (next start)", () => {
  it("cancels a task only through its own project: through another it is not found and keeps running", async () => {
    const { jar } = await postCredentials(origin, OWNER);
    const id = await createTask();
    expect(otherProjectId).toMatch(/^prj_/);
    expect(otherProjectId).not.toBe(projectId);

    const refused = await callAction("cancelTaskAction", [{ projectId: otherProjectId, id }], jar);
    expect(refused).toContain(`No task with id '${id}'`);
    expect((await taskOf(id)).status).not.toBe("cancelled");
    expect(await callAction("cancelTaskAction", [{ id }])).toContain("Your session has ended");
    expect((await taskOf(id)).status).not.toBe("cancelled");

    expect(await callAction("cancelTaskAction", [{ projectId, id }], jar)).toContain('"status":"cancelled"');
    expect((await taskOf(id)).status).toBe("cancelled");
    // Twice is a conflict in words, not a crash.
    expect(await callAction("cancelTaskAction", [{ projectId, id }], jar)).toContain("nothing to cancel");
  });

  it("retries a cancelled task as a new task with the same request, only within its project", async () => {
    const { jar } = await postCredentials(origin, OWNER);
    const id = await createTask();
    expect(await callAction("retryTaskAction", [{ projectId, id }], jar)).toContain("only failed or cancelled tasks can be retried");
    await callAction("cancelTaskAction", [{ projectId, id }], jar);
    expect(await callAction("retryTaskAction", [{ projectId: otherProjectId, id }], jar)).toContain(`No task with id '${id}'`);

    const answer = await callAction("retryTaskAction", [{ projectId, id }], jar);
    const retriedId = /"taskId":"(task_[0-9A-Za-z]+)"/.exec(answer)?.[1] ?? "";
    expect(retriedId, answer).toMatch(/^task_/);
    expect(retriedId).not.toBe(id);
    const [old, fresh] = [await taskOf(id), await taskOf(retriedId)];
    expect(old.status).toBe("cancelled");
    expect(fresh).toMatchObject({ kind: "video", options: { width: 96, format: "webm" }, input: { source_url: source.url("/slow.mp4") } });
    expect(old).toMatchObject({ options: fresh.options });
    // The cancelled task's input reads as its source URL either way: as the download's file, or (once cancelling has
    // cleaned that file up) as an external file.
    expect(JSON.stringify(old.input)).toContain(JSON.stringify(source.url("/slow.mp4")));
    expect(["queued", "processing"]).toContain(fresh.status);
    await callAction("cancelTaskAction", [{ projectId, id: retriedId }], jar);
  });
});
