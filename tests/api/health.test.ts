// GET /api/health: ok when the database answers; otherwise 503 "unavailable" with nothing of the error in it.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { checkHealth } from "@/lib/health/health";
import { call } from "@/tests/helpers/api";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

describe("GET /api/health", () => {
  // Opening the embedded database takes seconds; until then the probe rightly says unavailable.
  beforeAll(async () => {
    await db();
  });

  it("answers 200 {status: ok} without a key", async () => {
    const res = await call("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 {status: unavailable} and no error text when the database is unreachable", async () => {
    // A process whose DATABASE_URL points at a closed loopback port.
    const script = `import("./app/api/health/route.ts").then(async (m) => { const r = await m.GET(); process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })); process.exit(0); });`;
    const { stdout } = await run("npx", ["tsx", "-e", script], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: "postgresql://postgres:pw-in-url@127.0.0.1:9/nowhere", MEDIABIT_WORKER: "off" },
      timeout: 60_000,
    });
    const result = JSON.parse(stdout.trim().split("\n").pop()!) as { status: number; body: string };
    expect(result.status).toBe(503);
    expect(JSON.parse(result.body)).toEqual({ status: "unavailable" });
  }, 90_000);

  it("gives up on a database that hangs, within its timeout", async () => {
    const started = Date.now();
    const health = await checkHealth({ ping: () => new Promise(() => undefined), timeoutMs: 200 });
    expect(health).toEqual({ ok: false });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
