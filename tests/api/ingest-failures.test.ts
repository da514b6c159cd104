// A failed ingest leaves nothing behind, and says why without repeating the source URL's credentials.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Worker } from "@/lib/engine/embedded";
import { redactCredentials } from "@/lib/net/redact";
import { waitForTask } from "@/lib/tasks/wait";
import { call, createTestProject } from "@/tests/helpers/api";
import { startTestWorker, stopTestWorker } from "@/tests/helpers/engine";
import { startSourceServer, type SourceServer } from "@/tests/helpers/source-server";

let worker: Worker;
let source: SourceServer;

beforeAll(async () => {
  worker = startTestWorker();
  source = await startSourceServer();
  source.route("/gone.mp4", { status: 404, body: "no" });
});

afterAll(async () => {
  await stopTestWorker(worker);
  await source.close();
});

function withCredentials(path: string): string {
  const url = new URL(source.url(path));
  url.username = "alice";
  url.password = "hunter2-secret";
  return url.href;
}

describe("POST /api/media with a url that fails", () => {
  it("leaves no media item, file or stored bytes behind", async () => {
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/media", { key: p.key, body: { url: source.url("/gone.mp4"), title: "Will fail" } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("404");
    const prisma = await db();
    expect(await prisma.media.count({ where: { projectId: p.projectId } })).toBe(0);
    expect(await prisma.file.count({ where: { projectId: p.projectId } })).toBe(0);
    const listed = await call("GET", "/api/media", { key: p.key });
    expect(listed.body).toEqual([]);
  });
});

describe("credentials in source URLs", () => {
  it("are redacted from the API error and the stored task error", async () => {
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/files", { key: p.key, body: { url: withCredentials("/gone.mp4") } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(res.body)).not.toContain("hunter2");
    const task = await call("POST", "/api/tasks", { key: p.key, body: { kind: "ingest", url: withCredentials("/gone.mp4") } });
    expect(task.status).toBe(201);
    const settled = await waitForTask(task.body.id, { timeoutMs: 30_000 });
    expect(settled.status).toBe("failed");
    const rows = await (await db()).task.findMany({ where: { projectId: p.projectId } });
    expect(rows.length).toBe(2);
    for (const row of rows) {
      expect(row.error).toBeTruthy();
      expect(row.error).not.toContain("hunter2");
      expect(row.error).not.toContain("alice:");
    }
    const got = await call("GET", `/api/tasks/${task.body.id}`, { key: p.key });
    expect(got.body.error).toBeTruthy();
    expect(JSON.stringify(got.body.error)).not.toContain("hunter2");
    // The task's input is shown to every key of the project: its URL keeps the host and path, not the password.
    expect(JSON.stringify(got.body)).not.toContain("hunter2");
    expect(JSON.stringify(got.body)).toContain("***@");
  });

  it("redactCredentials removes userinfo from every URL in a text and leaves the rest", () => {
    expect(redactCredentials("could not download https://u:p@h.example/a?x=1 and s3://k:s@b/c; see http://h/ok")).toBe(
      "could not download https://***@h.example/a?x=1 and s3://***@b/c; see http://h/ok",
    );
    expect(redactCredentials("ftp://a@b:c@host/x")).toBe("ftp://***@host/x");
    expect(redactCredentials("mail me at a@b.example")).toBe("mail me at a@b.example");
  });
});
