// Shared helpers for the on-demand benchmarks: a throwaway data dir, a loopback file server in its own process,
// cached generated inputs, timing, RSS sampling, a throwaway PostgreSQL database and plain-text tables.
// App modules are only ever imported dynamically, after prepareEnv() has set process.env.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

/** Generated inputs live here between runs; delete the folder to regenerate them. */
export const CACHE_DIR = "/tmp/mediabit-bench";
export const DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432";

// ---------------------------------------------------------------------------------------------------------------
// Environment

export type BenchEnv = { dataDir: string; cleanup: () => Promise<void> };

/** A fresh MEDIABIT_DATA_DIR under /tmp and the settings a loopback benchmark needs; call before importing app code. */
export function prepareEnv(name: string, extra: Record<string, string> = {}): BenchEnv {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `mediabit-bench-${name}-`));
  process.env.MEDIABIT_DATA_DIR = dataDir;
  process.env.MEDIABIT_SECRET ??= "bench-secret-bench-secret-bench-secret-0123456789";
  // The loopback file server is a private address: the SSRF guard must let exactly it through.
  process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS = "127.0.0.1";
  delete process.env.INNGEST_EVENT_KEY;
  delete process.env.INNGEST_SIGNING_KEY;
  delete process.env.INNGEST_DEV;
  // Only the database the benchmark chose: never a DATABASE_URL left in the caller's shell.
  delete process.env.DATABASE_URL;
  for (const [key, value] of Object.entries(extra)) process.env[key] = value;
  return {
    dataDir,
    cleanup: async () => {
      try {
        const { closeDb } = await import("@/lib/db/client");
        await closeDb();
      } catch {
        // Never opened, or already closed: nothing to release.
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The embedded worker as a self-hosted server runs it (production poll/lease, concurrency = cores unless given). */
export async function startBenchWorker(options: { concurrency?: number } = {}) {
  const [{ workflows }, { startWorker }, { setLocalWorker }] = await Promise.all([
    import("@/inngest/functions"),
    import("@/lib/engine/embedded"),
    import("@/lib/engine/engine"),
  ]);
  const worker = startWorker({ definitions: workflows, concurrency: options.concurrency ?? os.availableParallelism(), log: () => undefined });
  setLocalWorker(worker);
  return {
    worker,
    stop: async () => {
      await worker.stop({ graceMs: 5_000 });
      setLocalWorker(undefined);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Throwaway PostgreSQL database

export type TempDatabase = { name: string; url: string; drop: () => Promise<void> };

export async function createTempDatabase(baseUrl = process.env.BENCH_PG_URL ?? DEFAULT_PG_URL, suffix = ""): Promise<TempDatabase> {
  const { Client } = await import("pg");
  const name = `mediabit_bench_${process.pid}${suffix}`;
  const admin = new Client({ connectionString: `${baseUrl}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `${baseUrl}/${name}`,
    drop: async () => {
      const client = new Client({ connectionString: `${baseUrl}/postgres` });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export type DatabaseChoice = { label: string; url?: string; drop: () => Promise<void> };

/** Embedded PGlite by default; a throwaway PostgreSQL database with `--pg` on the command line. */
export async function chooseDatabase(): Promise<DatabaseChoice> {
  if (!process.argv.includes("--pg")) return { label: "embedded PGlite", drop: async () => undefined };
  const database = await createTempDatabase();
  return { label: `PostgreSQL (${database.url})`, url: database.url, drop: database.drop };
}

export type StatementCounter = { read: () => { statements: number; transactions: number } };

/**
 * Counts the statements (and BEGINs) every node-postgres client in this process sends — the database round trips a
 * piece of work costs, a figure other load on the machine cannot distort. PostgreSQL only (PGlite has no wire).
 */
const statementCount = { statements: 0, transactions: 0 };
let counting = false;
const countingStatements = () => counting;

export async function countPostgresStatements(): Promise<StatementCounter> {
  const pg = (await import("pg")).default;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __benchCounted?: boolean };
  const counter = statementCount;
  if (!proto.__benchCounted) {
    const original = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0];
      const text = typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "");
      counter.statements++;
      if (/^\s*BEGIN\b/i.test(text)) counter.transactions++;
      return original.apply(this, args);
    };
    proto.__benchCounted = true;
  }
  counting = true;
  return { read: () => ({ ...counter }) };
}

// ---------------------------------------------------------------------------------------------------------------
// Loopback file server (its own process, so it neither shares Mediabit's event loop nor counts in its RSS)

export type FileServer = { origin: string; url: (name: string) => string; close: () => Promise<void> };

const FILE_SERVER_SOURCE = `
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");
const root = process.env.BENCH_FILE_ROOT;
const types = { ".mp4": "video/mp4", ".jpg": "image/jpeg", ".mkv": "video/x-matroska" };
const server = http.createServer((req, res) => {
  const name = decodeURIComponent(new URL(req.url, "http://x").pathname.slice(1));
  const file = path.join(root, path.basename(name));
  let size;
  try { size = fs.statSync(file).size; } catch { res.writeHead(404).end("not found"); return; }
  res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream", "content-length": String(size) });
  const stream = fs.createReadStream(file);
  stream.pipe(res);
  res.on("close", () => stream.destroy());
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

/** Serves every file in `root` as `/<name>` with Content-Length, from a child node process bound to 127.0.0.1. */
export async function startFileServer(root: string): Promise<FileServer> {
  const child: ChildProcess = spawn(process.execPath, ["-e", FILE_SERVER_SOURCE], {
    env: { ...process.env, BENCH_FILE_ROOT: root, NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`file server exited early with code ${code}`)));
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (name) => `${origin}/${encodeURIComponent(name)}`,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Processes, inputs and timing

export type ToolRun = { ms: number; code: number | null; stderr: string };

/** Runs a command (no shell) and times it from spawn to exit; rejects when it exits non-zero. */
export function runTool(command: string, args: readonly string[], options: { allowFailure?: boolean } = {}): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-8192)));
    child.once("error", reject);
    child.once("close", (code) => {
      const result = { ms: performance.now() - started, code, stderr };
      if (code !== 0 && !options.allowFailure) reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr.trim().split("\n").at(-1) ?? ""}`));
      else resolve(result);
    });
  });
}

/** Path of a cached input, generated once by `make` (written to a temporary name, then renamed into place). */
export async function cachedInput(name: string, make: (output: string) => Promise<void>): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const target = path.join(CACHE_DIR, name);
  if (existsSync(target)) return target;
  const partial = path.join(CACHE_DIR, `.partial-${process.pid}-${name}`);
  const started = performance.now();
  process.stdout.write(`generating ${target} … `);
  try {
    await make(partial);
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return target;
}

/** The 12 MP JPEG with photo-like texture (blurred noise) the image benchmarks share, so decoding and encoding have real work. */
export async function photoJpeg(): Promise<string> {
  return cachedInput("photo-4000x3000.jpg", async (output) => {
    const { default: sharp } = await import("sharp");
    await sharp({ create: { width: 4000, height: 3000, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 50 } } })
      .blur(1.5)
      .jpeg({ quality: 90 })
      .toFile(output);
  });
}

export async function ffmpeg(...args: string[]): Promise<void> {
  await runTool("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", ...args]);
}

/** Writes dirty pages to disk, so one measurement's writeback does not land inside the next one. */
export async function syncDisks(): Promise<void> {
  await runTool("sync", []);
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** "p25 a · median b · p75 c". */
function spread(values: readonly number[], digits: number): string {
  return `p25 ${fmt(quantile(values, 0.25), digits)} · median ${fmt(median(values), digits)} · p75 ${fmt(quantile(values, 0.75), digits)}`;
}

/** The q-quantile (0..1) by linear interpolation between the sorted values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * CPU time used so far, in ms: this process (all threads, so libvips and PGlite count) and its waited-for children
 * (ffmpeg, ffprobe, curl: /proc/self/stat cutime + cstime, 10 ms resolution). CPU time is far less sensitive than
 * wall-clock time to other work on a busy machine, so every benchmark reports it next to the wall-clock figure.
 */
export function cpuTimes(): { selfMs: number; childrenMs: number; totalMs: number } {
  const usage = process.cpuUsage();
  const selfMs = (usage.user + usage.system) / 1000;
  let childrenMs = 0;
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    // After the command name: fields[0] is the state (field 3), so cutime (16) and cstime (17) are 13 and 14.
    childrenMs = ((Number(fields[13]) || 0) + (Number(fields[14]) || 0)) * 10;
  } catch {
    // No /proc: children's CPU time stays unknown (0).
  }
  return { selfMs, childrenMs, totalMs: selfMs + childrenMs };
}

/** Runs `fn`, returning its wall-clock and CPU time (this process + children) in ms, and this process's user/system split. */
export async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; selfUserMs: number; selfSysMs: number; value: T }> {
  const cpu0 = cpuTimes();
  const self0 = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  const self = process.cpuUsage(self0);
  return { ms, cpuMs: cpuTimes().totalMs - cpu0.totalMs, selfUserMs: self.user / 1000, selfSysMs: self.system / 1000, value };
}

/** A loud note when other work competes for the CPUs: wall-clock ratios are then only indicative. */
export function busyWarning(): string | null {
  const [load1 = 0] = os.loadavg();
  const cores = os.availableParallelism();
  return load1 > cores * 0.75
    ? `WARNING: load average ${load1.toFixed(2)} on ${cores} cores — other work is competing; wall-clock figures are noisy, compare the CPU-time columns too.`
    : null;
}

/** Samples process RSS every `intervalMs`; `stop()` returns the baseline, the peak and the growth. */
export function sampleRss(intervalMs = 50) {
  const base = process.memoryUsage().rss;
  let peak = base;
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    samples++;
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { base, peak, growth: peak - base, samples: samples + 1 };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting

export const MB = 1e6;

export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "—";
}

export function verdict(ok: boolean): "PASS" | "MISS" {
  return ok ? "PASS" : "MISS";
}

/** Prints rows as an aligned plain-text table (numbers right-aligned). */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? "").length)));
  const line = (row: string[]) =>
    row.map((cell, col) => (/^[-+]?[\d.,]+( ?[a-zA-Z%/×]+)?$/.test(cell) && col > 0 ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0))).join("  ");
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of cells.slice(1)) console.log(line(row));
}

function firstLine(command: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (out += chunk));
    child.once("error", () => resolve("unavailable"));
    child.once("close", () => resolve(out.split("\n")[0]?.trim() ?? ""));
  });
}

/** CPU, memory, load and tool versions, printed at the start and end of every benchmark. */
export async function machineNotes(): Promise<string> {
  const cpus = os.cpus();
  const load = os.loadavg().map((n) => n.toFixed(2)).join(" ");
  const ffmpegVersion = (await firstLine("ffmpeg", ["-version"])).replace(/ Copyright.*/, "");
  let sharpVersion = "?";
  try {
    sharpVersion = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../node_modules/sharp/package.json"), "utf8")) as { version: string }).version;
  } catch {
    // Not installed: the notes say so.
  }
  const warning = busyWarning();
  return [
    ...(warning ? [warning] : []),
    `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, load avg (1/5/15 min) ${load}`,
    `node ${process.version}, ${ffmpegVersion}, sharp ${sharpVersion}, pid ${process.pid}`,
  ].join("\n");
}

export function loadNow(): string {
  return os.loadavg().map((n) => n.toFixed(2)).join(" ");
}

/** Runs a benchmark's main: prints errors and exits 1 on them, 0 otherwise (targets missed are not errors). */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`\nbenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Through the API

/** POST /api/files for a URL; throws unless the file was stored (201). */
export async function ingestUrl(key: string, url: string): Promise<{ id: string; filesize: number; [field: string]: unknown }> {
  const { call, data } = await import("@/tests/helpers/api");
  const res = await call("POST", "/api/files", { key, body: { url } });
  if (res.status !== 201) throw new Error(`POST /api/files answered ${res.status}: ${JSON.stringify(res.body)}`);
  return data(res);
}

export type TaskRun = {
  taskId: string;
  /** Request sent → the task's finishedAt (the moment its result became visible). */
  ms: number;
  /** Request sent → 201 from POST /api/tasks. */
  createMs: number;
  /** Request sent → the worker began the task (startedAt). */
  queueMs: number;
  /** startedAt → finishedAt. */
  runMs: number;
  plan: unknown;
  /** The plan's steps (ffmpeg, sharp…) as they ran inside the task: the sum of the `ms` the task stored on each. */
  toolMs: number;
  outputFileId: string | null;
  /** Status polls this helper made. */
  polls: number;
  /** Whether the transform began while POST /api/tasks wrote the task's rows, and the worker took it over. */
  headStarted: boolean;
  /** With countPostgresStatements() on: statements and transactions the request and the task made (polls excluded). */
  statements?: number;
  transactions?: number;
};

function stepMsOf(plan: unknown): number {
  const steps = (plan as { steps?: { ms?: unknown }[] } | null)?.steps ?? [];
  return steps.reduce((sum, step) => sum + (typeof step.ms === "number" ? step.ms : Number.NaN), 0);
}

/**
 * POST /api/tasks, then waits for the task to settle; times end at the task's own finishedAt, so how often it looks
 * does not inflate the result. While this process's worker is busy it sleeps until the worker announces that the
 * task's execution ended (`settledOrTimeout`): polling the database, or even a 5 ms timer loop (≈20 ms of CPU per
 * second here), would take CPU from the tool being timed. Throws unless the task succeeded.
 */
export async function runTaskViaApi(key: string, body: Record<string, unknown>, pollMs = 25): Promise<TaskRun> {
  const [{ call, data }, { db }, { localWorker }, { headStartCounts }, { settledOrTimeout }, { taskExecutionKey }] = await Promise.all([
    import("@/tests/helpers/api"),
    import("@/lib/db/client"),
    import("@/lib/engine/engine"),
    import("@/lib/engine/head-starts"),
    import("@/lib/engine/settled"),
    import("@/lib/tasks/execution-key"),
  ]);
  const prisma = await db();
  const counted = { ...statementCount };
  const headStartsBefore = headStartCounts();
  const wall0 = Date.now();
  const t0 = performance.now();
  const res = await call("POST", "/api/tasks", { key, body });
  const createMs = performance.now() - t0;
  if (res.status !== 201) throw new Error(`POST /api/tasks answered ${res.status}: ${JSON.stringify(res.body)}`);
  const taskId = (data(res) as { id: string }).id;
  let polls = 0;
  for (;;) {
    if ((localWorker()?.active() ?? 0) > 0) {
      // An announcement missed between the check and the wait costs only the timeout, not the measurement.
      await settledOrTimeout(taskExecutionKey(taskId), 1000);
      continue;
    }
    polls++;
    const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId } });
    if (task.status === "failed" || task.status === "cancelled") throw new Error(`task ${taskId} ${task.status}: ${task.error}`);
    if (task.status === "succeeded" && task.finishedAt && task.startedAt) {
      return {
        taskId,
        ms: task.finishedAt.getTime() - wall0,
        createMs,
        queueMs: task.startedAt.getTime() - wall0,
        runMs: task.finishedAt.getTime() - task.startedAt.getTime(),
        plan: task.plan,
        toolMs: stepMsOf(task.plan),
        outputFileId: task.outputFileId,
        polls,
        headStarted: headStartCounts().taken > headStartsBefore.taken,
        ...(countingStatements()
          ? { statements: statementCount.statements - counted.statements - polls, transactions: statementCount.transactions - counted.transactions }
          : {}),
      };
    }
    await sleep(pollMs);
  }
}

/**
 * The tables the task benchmarks print: the direct tool, transformMedia() and the task (wall and CPU, medians), where
 * the task's time goes, and the target on task / direct.
 */
export function printTaskBenchReport(report: {
  title: string;
  /** e.g. "image task / direct sharp" */
  measure: string;
  target: number;
  direct: { label: string; ms: number[]; cpuMs: number[] };
  transform: { label: string; ms: number[]; cpuMs: number[] };
  task: { label: string; runs: (TaskRun & { cpuMs: number })[] };
}): void {
  const { direct, transform, task } = report;
  const directMs = median(direct.ms);
  const transformMs = median(transform.ms);
  const taskMs = median(task.runs.map((r) => r.ms));
  const cpu = { direct: median(direct.cpuMs), transform: median(transform.cpuMs), task: median(task.runs.map((r) => r.cpuMs)) };
  const ratio = taskMs / directMs;
  const cpuRatio = cpu.task / cpu.direct;
  printTable(`${report.title} — median of ${task.runs.length}`, ["path", "wall ms", "× direct", "CPU ms", "CPU × direct"], [
    [direct.label, fmt(directMs, 0), "1.000", fmt(cpu.direct, 0), "1.000"],
    [transform.label, fmt(transformMs, 0), fmt(transformMs / directMs, 3), fmt(cpu.transform, 0), fmt(cpu.transform / cpu.direct, 3)],
    [task.label, fmt(taskMs, 0), fmt(ratio, 3), fmt(cpu.task, 0), fmt(cpuRatio, 3)],
  ]);
  const runMs = median(task.runs.map((r) => r.runMs));
  // What Mediabit adds around the tool (request, rows, validation, publish, and the tool's start if it came late),
  // measured inside each task: unlike task / direct, it does not move with how fast the tool itself ran that time.
  const ownMs = task.runs.map((r) => r.ms - r.toolMs);
  printTable("Where the task's time goes (median)", ["phase", "ms"], [
    ["POST /api/tasks → 201", fmt(median(task.runs.map((r) => r.createMs)), 0)],
    ["request → worker started the task", fmt(median(task.runs.map((r) => r.queueMs)), 0)],
    ["runs whose transform began while POST wrote the task (head start)", `${task.runs.filter((r) => r.headStarted).length} of ${task.runs.length}`],
    ...(task.runs[0]?.statements !== undefined
      ? [["database statements / transactions per task (POST + worker)", `${median(task.runs.map((r) => r.statements ?? 0))} / ${median(task.runs.map((r) => r.transactions ?? 0))}`]]
      : []),
    ["task running (startedAt → finishedAt)", fmt(runMs, 0)],
    ["task − transformMedia (request, rows, fsync + publish)", fmt(taskMs - transformMs, 0)],
    ["the tool inside the task (its plan's steps, as timed by the task)", fmt(median(task.runs.map((r) => r.toolMs)), 0)],
    ["Mediabit's own time: task − its tool steps (p25 · median · p75)", spread(ownMs, 0)],
  ]);
  printTable("Targets", ["measure", "value", "target", "result"], [
    [`${report.measure} (wall clock)`, `${fmt(ratio, 3)}×`, `≤ ${report.target}×`, verdict(ratio <= report.target)],
    [`${report.measure} (CPU time, for reference)`, `${fmt(cpuRatio, 3)}×`, `≤ ${report.target}×`, verdict(cpuRatio <= report.target)],
  ]);
  // Each run measured the task and the direct tool back to back: the spread of their ratios is this machine's noise,
  // which a reader needs to judge a median that lands near the target.
  const overDirect = (values: readonly number[]) => values.map((value, i) => value / (direct.ms[i] ?? Number.NaN)).filter(Number.isFinite);
  const paired = overDirect(task.runs.map((run) => run.ms));
  if (paired.length >= 4) {
    console.log(`per-run task / direct (same run): ${spread(paired, 3)} (direct alone ranged ${fmt(Math.min(...direct.ms), 0)}–${fmt(Math.max(...direct.ms), 0)} ms)`);
  }
  // The tool inside the task against the same tool run directly in the same run: above 1 when running in the task
  // slowed the tool itself (contention with the request's work), which Mediabit's own time does not show.
  const toolPaired = overDirect(task.runs.map((run) => run.toolMs));
  if (toolPaired.length >= 4) console.log(`per-run tool inside the task / direct (same run): ${spread(toolPaired, 3)}`);
  const ownMedian = median(ownMs);
  if (Number.isFinite(ownMedian)) {
    console.log(`(direct + Mediabit's own time) / direct, from medians: ${fmt((directMs + ownMedian) / directMs, 3)}× — the ratio with the tool's own noise taken out`);
  }
  const warning = busyWarning();
  if (warning) console.log(warning);
  console.log(`\nload avg at end: ${loadNow()}`);
}

export type MediaBench = {
  env: BenchEnv;
  database: DatabaseChoice;
  prisma: Awaited<ReturnType<typeof import("@/lib/db/client").db>>;
  transformMedia: typeof import("@/lib/media/transform").transformMedia;
  project: { key: string };
  input: Awaited<ReturnType<Awaited<ReturnType<typeof import("@/lib/db/client").db>>["file"]["findUniqueOrThrow"]>>;
  inputPath: string;
  close: () => Promise<void>;
};

/**
 * What the transcode and image benchmarks share: a fresh data dir and database, a worker, a project,
 * and the input ingested once (so ingest time is in no measurement), read from the local store.
 */
export async function startMediaBench(name: string, inputFile: string): Promise<MediaBench> {
  const database = await chooseDatabase();
  console.log(`database: ${database.label}`);
  const env = prepareEnv(name, database.url ? { DATABASE_URL: database.url } : {});
  const server = await startFileServer(CACHE_DIR);
  let stopWorker: (() => Promise<void>) | undefined;
  const close = async () => {
    await stopWorker?.();
    await server.close();
    await env.cleanup();
    await database.drop();
  };
  try {
    const [{ createTestProject }, { db }, { getStore }, { transformMedia }] = await Promise.all([
      import("@/tests/helpers/api"),
      import("@/lib/db/client"),
      import("@/lib/storage/store"),
      import("@/lib/media/transform"),
    ]);
    // On PostgreSQL, count the statements each task costs (a figure machine load cannot distort).
    if (database.url) await countPostgresStatements();
    const prisma = await db();
    stopWorker = (await startBenchWorker()).stop;
    const project = await createTestProject();
    const ingested = await ingestUrl(project.key, server.url(path.basename(inputFile)));
    const input = await prisma.file.findUniqueOrThrow({ where: { id: ingested.id } });
    const inputPath = input.storageKey ? getStore().localPath?.(input.storageKey) : undefined;
    if (!inputPath) throw new Error("the benchmark expects the local project store");
    return { env, database, prisma, transformMedia, project, input, inputPath, close };
  } catch (error) {
    await close();
    throw error;
  }
}
