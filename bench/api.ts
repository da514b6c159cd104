// Benchmark: `GET /api/tasks/{id}` at 32 concurrent requests on PostgreSQL, Mediabit's built server (`next start`)
// against a bare node:http + pg server doing the same work (the key lookup, the task query, JSON), measured in the
// same run, alternating. Targets: ≥ 0.5× the bare server's requests/s, p99 < 25 ms. Needs `next build` first.
//   npx tsx bench/api.ts [--seconds 8] [--rounds 2]
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Agent, fetch } from "undici";
import { startBuiltServer } from "../tests/auth/built-server";
import { createTempDatabase, fmt, loadNow, machineNotes, median, printTable, quantile, runMain, sleep, verdict } from "./lib";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback);
const SECONDS = option("--seconds", 8);
const ROUNDS = option("--rounds", 2);
const CONCURRENCY = 32;
const KEY = "ittybit_bench_api_bootstrap_key_000001";
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 25;

// The bare server: what any hand-written endpoint must do at least — authenticate the key, read the task, send JSON.
const BARE_SERVER = `
const http = require("node:http");
const { createHash } = require("node:crypto");
const { Pool } = require("pg");
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
http.createServer(async (req, res) => {
  try {
    const id = req.url.split("/").pop();
    const key = (req.headers.authorization || "").replace(/^Bearer\\s+/i, "");
    const auth = await pool.query("SELECT k.id, k.project_id, k.status FROM api_keys k JOIN projects p ON p.id = k.project_id WHERE k.hash = $1", [createHash("sha256").update(key).digest("hex")]);
    const owner = auth.rows[0];
    if (!owner || owner.status !== "active") { res.writeHead(401).end(); return; }
    const task = await pool.query("SELECT * FROM tasks WHERE id = $1 AND project_id = $2", [id, owner.project_id]);
    if (!task.rows[0]) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(task.rows[0]));
  } catch (error) { res.writeHead(500).end(String(error)); }
}).listen(Number(process.env.PORT), "127.0.0.1", () => process.send && process.send("ready"));
`;

function startBareServer(port: number, databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", BARE_SERVER], { env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl }, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

type Load = { rps: number; p50: number; p99: number; errors: number; cpuMsPerRequest: number };

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** User + system CPU of a process in ms (Linux /proc), NaN elsewhere: a figure other load on the machine barely moves. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

/** The process serving `next start` on `port` (startBuiltServer keeps its pid to itself; Next.js renames its title). */
function nextServerPid(port: number): number | undefined {
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").startsWith("next-server")) continue;
      if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`PORT=${port}`)) return Number(entry);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return undefined;
}

/** CONCURRENCY loops, each sending its next request when the last answered, for `seconds`; `pid`'s CPU per answer. */
async function load(url: string, seconds: number, pid?: number): Promise<Load> {
  const dispatcher = new Agent({ connections: CONCURRENCY, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const response = await fetch(url, { headers: { authorization: `Bearer ${KEY}` }, dispatcher }).catch(() => null);
      if (response) await response.arrayBuffer();
      if (response?.status === 200) latencies.push(performance.now() - started);
      else errors++;
    }
  };
  const started = performance.now();
  const cpuBefore = cpuMs(pid);
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const cpuMsPerRequest = (cpuMs(pid) - cpuBefore) / Math.max(1, latencies.length + errors);
  await dispatcher.close();
  return { rps: latencies.length / elapsed, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), errors, cpuMsPerRequest };
}

async function main(): Promise<void> {
  console.log(`# bench/api — GET /api/tasks/{id}, ${CONCURRENCY} concurrent, PostgreSQL: Mediabit (next start) vs a bare node:http + pg server`);
  console.log(await machineNotes());
  const database = await createTempDatabase(undefined, "_api");
  const app = await startBuiltServer(3190, { DATABASE_URL: database.url, MEDIABIT_BOOTSTRAP_KEY: KEY, MEDIABIT_WORKER: "off", MEDIABIT_ALLOW_PRIVATE_HOSTS: "127.0.0.1" });
  let bare: ChildProcess | undefined;
  try {
    // A task that stays queued (no worker in this server): the lookup is the whole request.
    const created = await fetch(`${app.origin}/api/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "accept-version": "latest" },
      body: JSON.stringify({ kind: "ingest", url: "http://127.0.0.1:9/never-fetched.mp4" }),
    });
    const task = (await created.json()) as { id?: string };
    if (!task.id) throw new Error(`could not create a task: ${created.status} ${JSON.stringify(task)}`);
    bare = await startBareServer(3191, database.url);
    const targets = { mediabit: `${app.origin}/api/tasks/${task.id}`, bare: `http://127.0.0.1:3191/tasks/${task.id}` };
    const pids = { mediabit: nextServerPid(3190), bare: bare.pid };
    for (const url of Object.values(targets)) await load(url, 2); // warm both: JIT, pools, route compilation
    const runs: Record<keyof typeof targets, Load[]> = { mediabit: [], bare: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of ["mediabit", "bare"] as const) {
        await sleep(500);
        const result = await load(targets[name], SECONDS, pids[name]);
        runs[name].push(result);
        console.log(
          `round ${round + 1} ${name}: ${fmt(result.rps, 0)} req/s, p50 ${fmt(result.p50, 1)} ms, p99 ${fmt(result.p99, 1)} ms, server CPU ${fmt(result.cpuMsPerRequest, 2)} ms/req, errors ${result.errors} · load ${loadNow()}`,
        );
      }
    }
    const summary = (name: keyof typeof targets) => ({
      rps: median(runs[name].map((r) => r.rps)),
      p50: median(runs[name].map((r) => r.p50)),
      p99: median(runs[name].map((r) => r.p99)),
      cpu: median(runs[name].map((r) => r.cpuMsPerRequest)),
      errors: runs[name].reduce((sum, r) => sum + r.errors, 0),
    });
    const mediabit = summary("mediabit");
    const direct = summary("bare");
    printTable("Medians", ["server", "req/s", "p50 ms", "p99 ms", "server CPU ms/req", "errors"], [
      ["Mediabit GET /api/tasks/{id}", fmt(mediabit.rps, 0), fmt(mediabit.p50, 1), fmt(mediabit.p99, 1), fmt(mediabit.cpu, 2), mediabit.errors],
      ["bare node:http + pg (key + task query, JSON)", fmt(direct.rps, 0), fmt(direct.p50, 1), fmt(direct.p99, 1), fmt(direct.cpu, 2), direct.errors],
    ]);
    const ratio = mediabit.rps / direct.rps;
    printTable("Targets", ["measure", "value", "target", "result"], [
      ["requests/s vs the bare server", `${fmt(ratio, 2)}×`, `≥ ${TARGET_RATIO}×`, verdict(ratio >= TARGET_RATIO)],
      ["p99 latency", `${fmt(mediabit.p99, 1)} ms`, `< ${TARGET_P99_MS} ms`, verdict(mediabit.p99 < TARGET_P99_MS)],
    ]);
    // Same work per request: the CPU ratio is the req/s ratio two CPU-bound servers would show, whatever else the machine runs.
    console.log(`server CPU per request: Mediabit ${fmt(mediabit.cpu, 2)} ms vs bare ${fmt(direct.cpu, 2)} ms (${fmt(direct.cpu / mediabit.cpu, 2)}×)`);
    console.log(`\nload avg at end: ${loadNow()}`);
  } finally {
    bare?.kill("SIGKILL");
    app.stop();
    await sleep(300);
    await database.drop();
  }
}

runMain(main);
