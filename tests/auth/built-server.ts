// A production build served by `next start` on loopback for the auth tests that need the real HTTP stack
// (next-auth's endpoints, the proxy, headers from next.config, server actions). Needs `next build` first.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

export const isBuilt = existsSync(".next/BUILD_ID");

export type Server = { origin: string; stop: () => void };

/** A loopback port nothing listens on now (ports picked at random collide with each other and with local services). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** `port` 0: any free loopback port. */
export async function startBuiltServer(requestedPort: number, settings: Record<string, string>): Promise<Server> {
  const port = requestedPort || (await freePort());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "mediabit-auth-server-"));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), MEDIABIT_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", ...settings };
  // The test process's own database must not leak into the server (it gets a fresh PGlite unless told otherwise).
  if (!settings.DATABASE_URL) delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  // `next start` runs its server in a child process: end the whole group.
  const stop = () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  };
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (await fetch(`${origin}/api/health`).then((r) => r.ok).catch(() => false)) return { origin, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stop();
  throw new Error(`next start on ${port} did not become healthy`);
}

/** The id Next.js gave a server action, from the build's manifest. */
export function serverActionId(filename: string, exportedName: string): string {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.filename === filename && entry.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${exportedName} in ${filename}`);
  return found[0];
}

/**
 * Calls a server action the way the browser does: a POST to a page with the action's id in `Next-Action` and the
 * JSON-encoded arguments as the body.
 */
export function postServerAction(
  origin: string,
  page: string,
  action: { file: string; name: string },
  args: unknown[],
  init: { jar?: CookieJar; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${origin}${page}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Next-Action": serverActionId(action.file, action.name),
      "Content-Type": "text/plain;charset=UTF-8",
      Accept: "text/x-component",
      Origin: origin,
      ...(init.jar ? { cookie: init.jar.header() } : {}),
      ...init.headers,
    },
    body: JSON.stringify(args),
  });
}

/** A cookie jar of name=value pairs, fed by Set-Cookie headers. */
export class CookieJar {
  readonly values = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line) || value === "") this.values.delete(name);
      else this.values.set(name, value);
    }
  }

  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [name, value] of this.values) copy.values.set(name, value);
    return copy;
  }
}

/** Signs in through next-auth's own endpoint (csrf token, then the credentials callback). */
export async function postCredentials(
  origin: string,
  input: { email: string; password: string; forwardedFor?: string; jar?: CookieJar },
): Promise<{ response: Response; jar: CookieJar }> {
  const jar = input.jar ?? new CookieJar();
  const forwarded: Record<string, string> = input.forwardedFor ? { "X-Forwarded-For": input.forwardedFor } : {};
  const csrf = await fetch(`${origin}/api/auth/csrf`, { headers: { cookie: jar.header(), ...forwarded } });
  jar.take(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", cookie: jar.header(), ...forwarded },
    body: new URLSearchParams({ email: input.email, password: input.password, csrfToken, callbackUrl: `${origin}/dashboard` }),
  });
  jar.take(response);
  return { response, jar };
}

export function hasSession(jar: CookieJar): boolean {
  return [...jar.values.keys()].some((name) => name.includes("authjs.session-token"));
}

export type FloodReport = { floodMs: number; statuses: number[]; latencies: number[]; p50: number; p99: number; max: number };

/**
 * `count` concurrent wrong sign-ins on `email` through the credentials endpoint (each from its own forwarded
 * address, CSRF token fetched first as a browser would) while /api/health is probed back to back.
 */
export async function floodAndProbe(origin: string, input: { email: string; count: number }): Promise<FloodReport> {
  const attackers = await Promise.all(
    Array.from({ length: input.count }, async (_, i) => {
      const jar = new CookieJar();
      const forwardedFor = `198.18.${Math.floor(i / 200)}.${(i % 200) + 1}`;
      const csrf = await fetch(`${origin}/api/auth/csrf`, { headers: { "X-Forwarded-For": forwardedFor } });
      jar.take(csrf);
      return { jar, forwardedFor, csrfToken: ((await csrf.json()) as { csrfToken: string }).csrfToken };
    }),
  );
  const latencies: number[] = [];
  let isFlooding = true;
  const probe = (async () => {
    while (isFlooding) {
      const started = performance.now();
      const response = await fetch(`${origin}/api/health`);
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const started = performance.now();
  const statuses = await Promise.all(
    attackers.map(async ({ jar, forwardedFor, csrfToken }) => {
      const response = await fetch(`${origin}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", cookie: jar.header(), "X-Forwarded-For": forwardedFor },
        body: new URLSearchParams({ email: input.email, password: "a wrong guess", csrfToken, callbackUrl: `${origin}/dashboard` }),
      });
      return response.status;
    }),
  );
  const floodMs = performance.now() - started;
  isFlooding = false;
  await probe;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(q * latencies.length) - 1))] ?? Number.NaN;
  return { floodMs, statuses, latencies, p50: at(0.5), p99: at(0.99), max: at(1) };
}

export function describeFlood(report: FloodReport, count: number): string {
  return `${count} wrong sign-ins in ${report.floodMs.toFixed(0)} ms; ${report.latencies.length} health checks: p50 ${report.p50.toFixed(1)} ms, p99 ${report.p99.toFixed(1)} ms, max ${report.max.toFixed(1)} ms`;
}

/** /api/health latencies with nothing else going on, for `durationMs`: the machine's own baseline. */
export async function probeHealth(origin: string, durationMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + durationMs;
  while (performance.now() < until) {
    const started = performance.now();
    await (await fetch(`${origin}/api/health`)).arrayBuffer();
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return latencies.sort((a, b) => a - b);
}
