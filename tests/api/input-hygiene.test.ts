// Input PostgreSQL cannot store or our code cannot walk: NUL characters anywhere (body, query, path) and
// absurdly deep JSON are clean 400s (ids: 404) in the caller's shape, never a 500; one metadata schema everywhere.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call, createTestProject } from "@/tests/helpers/api";

const SOURCE = "http://127.0.0.2/clip.mp4";

function deepObject(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

async function taskCount(projectId: string): Promise<number> {
  return (await db()).task.count({ where: { projectId } });
}

describe("NUL characters", () => {
  it("answers 400 request_invalid for a NUL in any JSON string or field name, in each profile's shape", async () => {
    for (const version of ["2025-01-01", "latest"]) {
      const p = await createTestProject(version);
      for (const [path, body] of [
        ["/api/media", { title: "bad\u0000title" }],
        ["/api/media", { metadata: { "k\u0000": "v" } }],
        ["/api/connections", { name: "n\u0000", endpoint: "http://127.0.0.1:9", access_key_id: "a", secret_access_key: "secret-0001" }],
        ["/api/tasks", { kind: "ingest", url: SOURCE, metadata: { note: "\u0000" } }],
        ["/api/runs", { tasks: [{ kind: "ingest", url: `${SOURCE}\u0000` }] }],
      ] as const) {
        const res = await call("POST", path, { key: p.key, body });
        expect(res.status, `${version} ${path}`).toBe(400);
        const error = version === "latest" ? res.body : res.body.error;
        expect(error.kind, `${version} ${path}`).toBe("request_invalid");
        expect(error.message).toMatch(/NUL/);
      }
      expect(await (await db()).media.count({ where: { projectId: p.projectId } })).toBe(0);
      expect(await taskCount(p.projectId)).toBe(0);
    }
  });

  it("answers 400 for a %00 in a query filter", async () => {
    const p = await createTestProject("latest");
    for (const path of ["/api/tasks?status=%00", "/api/files?folder=a%00b", "/api/jobs?input=x%00", "/api/media?after=med_%00"]) {
      const res = await call("GET", path, { key: p.key });
      expect(res.status, path).toBe(400);
      expect(res.body.kind, path).toBe("request_invalid");
    }
  });

  it("answers 404 for a %00 in a path id", async () => {
    const p = await createTestProject("2025-01-01");
    for (const path of ["/api/files/file_%00", "/api/media/med_a%00b", "/api/tasks/task_%00", "/api/runs/run_%00", "/api/jobs/job_%00", "/api/connections/con_%00", "/api/keys/key_%00"]) {
      const res = await call("GET", path, { key: p.adminKey });
      expect(res.status, path).toBe(404);
      expect(res.body.error.kind, path).toMatch(/not_found$/);
    }
    const patched = await call("PATCH", "/api/media/med_%00", { key: p.key, body: { title: "x" } });
    expect(patched.status).toBe(404);
  });
});

describe("deeply nested JSON", () => {
  it("answers 400 for 100k-deep nesting (about 600 KB) on every resource that takes free-form values", async () => {
    const p = await createTestProject("latest");
    const deep = deepObject(100_000);
    for (const [path, raw] of [
      ["/api/tasks", `{"kind":"ingest","url":"${SOURCE}","metadata":${deep}}`],
      ["/api/tasks", `{"kind":"probe","url":"${SOURCE}","options":${deep}}`],
      ["/api/runs", `{"tasks":[{"kind":"ingest","url":"${SOURCE}"}],"metadata":${deep}}`],
      ["/api/jobs", `{"kind":"video","input":"${SOURCE}","options":${deep}}`],
      ["/api/media", `{"metadata":${deep}}`],
      ["/api/files", `{"url":"${SOURCE}","metadata":${deep}}`],
    ] as const) {
      const res = await call("POST", path, { key: p.key, rawBody: raw, headers: { "content-type": "application/json" } });
      expect(res.status, path).toBe(400);
      expect(res.body.kind, path).toBe("request_invalid");
      expect(res.body.message, path).toMatch(/nested deeper/);
    }
    expect(await taskCount(p.projectId)).toBe(0);
  });

  it("answers 400, not 500, for a 1 MB body of nested arrays", async () => {
    const p = await createTestProject("latest");
    const depth = 500_000;
    const raw = `{"kind":"probe","url":"${SOURCE}","options":{"a":${"[".repeat(depth)}${"]".repeat(depth)}}}`;
    expect(raw.length).toBeLessThanOrEqual(1024 * 1024);
    const res = await call("POST", "/api/tasks", { key: p.key, rawBody: raw, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.kind).toBe("request_invalid");
  });
});

describe("one metadata schema", () => {
  it("applies the files and media rules to task, run-step and ingest/probe/export options", async () => {
    const p = await createTestProject("latest");
    const nested = { nested: { a: "b" } };
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    for (const [path, body, field] of [
      ["/api/tasks", { kind: "ingest", url: SOURCE, metadata: nested }, "metadata.nested"],
      ["/api/tasks", { kind: "ingest", url: SOURCE, metadata: { "bad key!": "v" } }, "metadata"],
      ["/api/tasks", { kind: "ingest", url: SOURCE, metadata: tooMany }, "metadata"],
      ["/api/tasks", { kind: "probe", url: SOURCE, options: { deep: [1, 2] } }, "options.deep"],
      ["/api/tasks", { kind: "ingest", url: SOURCE, options: { metadata: nested } }, "options.metadata.nested"],
      ["/api/runs", { tasks: [{ kind: "ingest", url: SOURCE, metadata: nested }] }, "metadata.nested"],
      ["/api/runs", { tasks: [{ kind: "ingest", url: SOURCE }], metadata: nested }, "metadata.nested"],
      ["/api/jobs", { kind: "video", input: SOURCE, options: { width: 320 }, metadata: { long: "x".repeat(2049) } }, "metadata.long"],
    ] as const) {
      const res = await call("POST", path, { key: p.key, body });
      expect(res.status, `${path} ${field}`).toBe(400);
      expect(res.body.kind).toBe("request_invalid");
      expect(JSON.stringify(res.body.errors ?? res.body.message), `${path} ${field}`).toContain(field);
    }
    expect(await taskCount(p.projectId)).toBe(0);
  });
});
