// Two `next start` processes against one fresh PostgreSQL: migrations run once, both serve, and
// what one writes the other reads. Needs a production build (scripts/test-all.sh builds first).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { readMigrations } from "@/lib/db/migrate";
import { createTestDatabase } from "@/tests/helpers/postgres";

const KEY = "ittybit_test_two_servers_bootstrap_key";
const built = existsSync(".next/BUILD_ID");
const servers: ChildProcess[] = [];

afterAll(() => {
  // `next start` runs its server in a child process: end the whole group.
  for (const server of servers) if (server.pid) process.kill(-server.pid, "SIGKILL");
});

function startServer(port: number, databaseUrl: string, dataDir: string): ChildProcess {
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, MEDIABIT_DATA_DIR: dataDir, MEDIABIT_BOOTSTRAP_KEY: KEY, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
    detached: true,
  });
  servers.push(server);
  return server;
}

async function healthy(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok).catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server on ${port} did not become healthy`);
}

describe.skipIf(!built || !process.env.DATABASE_URL)("two app processes on one PostgreSQL", () => {
  it("migrate once and both serve the same data", async () => {
    const url = await createTestDatabase("servers");
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "mediabit-servers-"));
    const [a, b] = [3211, 3212];
    startServer(a, url, dataDir);
    startServer(b, url, dataDir);
    await Promise.all([healthy(a), healthy(b)]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const applied = (await client.query(`SELECT migration_name FROM "_prisma_migrations"`)).rows.map((r) => r.migration_name);
    expect(applied.sort()).toEqual(readMigrations().map((m) => m.name));
    expect((await client.query(`SELECT count(*)::int AS n FROM api_keys`)).rows[0].n).toBe(1);
    await client.end();

    const headers = { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json", "Accept-Version": "latest" };
    const created = await fetch(`http://127.0.0.1:${a}/api/connections`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "shared", endpoint: "https://s3.us-east-1.amazonaws.com", access_key_id: "AKIA", secret_access_key: "secret-1234" }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const seen = await fetch(`http://127.0.0.1:${b}/api/connections/${id}`, { headers });
    expect(seen.status).toBe(200);
    expect(((await seen.json()) as { secret_access_key: string }).secret_access_key).toBe("****1234");
  }, 120_000);
});
