// Under `next start` (needs a build): delivery counts still in memory are written when the server is stopped with
// SIGTERM, well inside the 5 s flush interval, so the next server process answers them from GET /api/analytics.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { mediaFixture } from "@/tests/helpers/media-fixtures";

const isBuilt = existsSync(".next/BUILD_ID");
const PORT = 3193;
const ORIGIN = `http://127.0.0.1:${PORT}`;

type Server = { child: ChildProcess; output: () => string };

async function startServer(dataDir: string): Promise<Server> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    MEDIABIT_DATA_DIR: dataDir,
    MEDIABIT_BOOTSTRAP_EMAIL: "owner@example.test",
    MEDIABIT_BOOTSTRAP_PASSWORD: "owner passphrase 1",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT), "-H", "127.0.0.1"], { env, stdio: ["ignore", "pipe", "inherit"], detached: true });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (await fetch(`${ORIGIN}/api/health`).then((r) => r.ok).catch(() => false)) return { child, output: () => text };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  process.kill(-child.pid!, "SIGKILL");
  throw new Error("next start did not become healthy");
}

/** SIGTERM to the whole group (`next start` serves from a child), then wait for it to exit. */
async function stopServer(server: Server): Promise<void> {
  const exited = server.child.exitCode === null ? once(server.child, "exit") : Promise.resolve();
  process.kill(-server.child.pid!, "SIGTERM");
  await exited;
}

describe.skipIf(!isBuilt)("delivery counts on shutdown (next start)", () => {
  it("writes the counts of the last interval when the server gets SIGTERM", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "mediabit-shutdown-flush-"));
    const first = await startServer(dataDir);
    let second: Server | undefined;
    try {
      const key = /API key \(shown once\): (\S+)/.exec(first.output())?.[1];
      expect(key).toBeTruthy();
      const headers = { Authorization: `Bearer ${key}`, "Accept-Version": "latest" };
      const created = await fetch(`${ORIGIN}/api/uploads`, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify({ filename: "a.png" }) });
      expect(created.status).toBe(201);
      const image = readFileSync(await mediaFixture("png"));
      const put = await fetch(((await created.json()) as { url: string }).url, { method: "PUT", body: image });
      const { url } = (await put.json()) as { url: string };

      expect((await (await fetch(url)).arrayBuffer()).byteLength).toBe(image.length);
      expect((await (await fetch(url, { headers: { Range: "bytes=0-99" } })).arrayBuffer()).byteLength).toBe(100);
      expect((await fetch(url, { method: "HEAD" })).status).toBe(200);
      // At once: the 5 s timer has not written these yet.
      await stopServer(first);

      second = await startServer(dataDir);
      const usage = (await (await fetch(`${ORIGIN}/api/analytics`, { headers })).json()) as { requests: number; delivery_bytes: number };
      expect(usage).toMatchObject({ requests: 3, delivery_bytes: image.length + 100 });
    } finally {
      if (first.child.exitCode === null) await stopServer(first);
      if (second) await stopServer(second);
    }
  }, 180_000);
});
