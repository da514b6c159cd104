// The built server (`next start`): URLs follow the request's Host (MEDIABIT_PUBLIC_URL unset), forwarded headers
// only with MEDIABIT_TRUST_PROXY=1, and the client address is the socket's peer — stamped by instrumentation's
// installPeerAddressHeader() in the process that serves requests — not a client-sent X-Forwarded-For.
// Needs a production build and PostgreSQL (the server and this test both read the database).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/tests/helpers/postgres";

const KEY = "ittybit_test_origin_bootstrap_key_0001";
const built = existsSync(".next/BUILD_ID");
const servers: ChildProcess[] = [];

afterAll(() => {
  // `next start` may run its server in a child process: end the whole group.
  for (const server of servers) if (server.pid) process.kill(-server.pid, "SIGKILL");
});

async function startServer(port: number, env: Record<string, string>): Promise<{ databaseUrl: string }> {
  const databaseUrl = await createTestDatabase("origin");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "mediabit-origin-"));
  // Without MEDIABIT_PUBLIC_URL: the origin comes from the request.
  const { MEDIABIT_PUBLIC_URL: _unset, ...inherited } = process.env;
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...inherited,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      MEDIABIT_DATA_DIR: dataDir,
      MEDIABIT_BOOTSTRAP_KEY: KEY,
      MEDIABIT_WORKER: "off",
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
    stdio: "ignore",
    detached: true,
  });
  servers.push(server);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok).catch(() => false);
    if (ok) return { databaseUrl };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server on ${port} did not become healthy`);
}

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** http.request, not fetch: fetch does not let a caller choose the Host header. */
function request(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: options.method ?? "GET", path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A failed sign-in through next-auth's credentials callback: it records an attempt against the client address. */
async function failedSignIn(port: number, headers: Record<string, string>): Promise<void> {
  const csrf = await request(port, { path: "/api/auth/csrf", headers });
  const token = (JSON.parse(csrf.body) as { csrfToken: string }).csrfToken;
  const cookie = ([] as string[]).concat(csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  const body = new URLSearchParams({ csrfToken: token, email: "nobody@example.com", password: "wrong-password" }).toString();
  const res = await request(port, {
    method: "POST",
    path: "/api/auth/callback/credentials",
    headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) },
    body,
  });
  expect(res.status).toBeLessThan(500);
}

async function addressAttempts(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const rows = (await client.query(`SELECT subject FROM auth_attempts WHERE scope = 'address'`)).rows as { subject: string }[];
  await client.end();
  return rows.map((r) => r.subject);
}

const apiHeaders = { authorization: `Bearer ${KEY}`, "accept-version": "2025-01-01" };

describe.skipIf(!built || !process.env.DATABASE_URL)("next start: request origin and client address", () => {
  it("builds URLs from Host, ignores client-sent forwarded headers, and takes the peer address without a trusted proxy", async () => {
    const port = 3221;
    const { databaseUrl } = await startServer(port, { MEDIABIT_TRUST_PROXY: "0" });
    const keys = await request(port, { path: "/api/keys", headers: { ...apiHeaders, host: "media.example.com" } });
    expect(keys.status).toBe(200);
    const links = (JSON.parse(keys.body) as { links: Record<string, string | null> }).links;
    expect(links.self).toBe("http://media.example.com/api/keys");
    // Forwarded headers from an untrusted client change nothing.
    const spoofed = await request(port, {
      path: "/api/keys",
      headers: { ...apiHeaders, host: "media.example.com", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
    });
    expect((JSON.parse(spoofed.body) as { links: { self: string } }).links.self).toBe("http://media.example.com/api/keys");

    await failedSignIn(port, { host: `127.0.0.1:${port}`, "x-forwarded-for": "203.0.113.9", "x-mediabit-peer-address": "198.51.100.7" });
    const subjects = await addressAttempts(databaseUrl);
    // The socket's peer, stamped in the serving process: instrumentation and requests share it.
    expect(subjects).toContain("127.0.0.1");
    expect(subjects).not.toContain("203.0.113.9");
    expect(subjects).not.toContain("198.51.100.7");
    expect(subjects).not.toContain("unknown");
  }, 120_000);

  it("believes X-Forwarded-For, -Host and -Proto behind a trusted proxy", async () => {
    const port = 3222;
    const { databaseUrl } = await startServer(port, { MEDIABIT_TRUST_PROXY: "1" });
    const keys = await request(port, {
      path: "/api/keys",
      headers: { ...apiHeaders, host: `127.0.0.1:${port}`, "x-forwarded-host": "media.example.com", "x-forwarded-proto": "https" },
    });
    expect((JSON.parse(keys.body) as { links: { self: string } }).links.self).toBe("https://media.example.com/api/keys");
    await failedSignIn(port, { host: `127.0.0.1:${port}`, "x-forwarded-for": "203.0.113.9, 10.0.0.1" });
    expect(await addressAttempts(databaseUrl)).toContain("203.0.113.9");
  }, 120_000);
});
