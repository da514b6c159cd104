// Benchmark: how fast the embedded durable engine drains 500 `engine.noop` executions, on embedded PGlite and on
// PostgreSQL, plus the cost of enqueueing them and of each database round trip a single execution makes.
// Run: npx tsx bench/engine.ts   (target: ≥ 200 executions/s on PostgreSQL)
// Each database gets its own child process (PGlite allows one process per data dir and holds ~700 MB).
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import { createInterface } from "node:readline";
import type { Tx } from "@/lib/engine/types";
import { countPostgresStatements, createTempDatabase, fmt, loadNow, machineNotes, median, prepareEnv, printTable, runMain, sleep, timed, verdict } from "./lib";

const N = 500;
// Enough for V8 to finish optimising PGlite's WebAssembly and Prisma's hot paths before anything is measured.
const WARMUP = 200;
const PROFILE_N = 200;
const TARGET_PER_S = 200;
const CORES = os.availableParallelism();
const EXTRA_CONCURRENCY = 8;

const STATEMENTS = {
  select1: "SELECT 1 (Prisma round trip)",
  emptyTx: "empty transaction (BEGIN; SELECT 1; COMMIT)",
  claim: "claim (UPDATE … FOR UPDATE SKIP LOCKED, limit 1)",
  memo: "load step memo (executionStep.findMany)",
  step: "old: step memo commit (fence tx: lock row + insert step)",
  finish: "old: finish (fence tx: lock row + update execution)",
  stepOne: "step memo as one statement (CTE … FOR UPDATE + INSERT; only before a next step)",
  finishOne: "finish as one conditional UPDATE",
  rawSelect1: "SELECT 1 (raw pg client, no Prisma)",
} as const;
// What one single-step execution cost before the engine was reworked (commit a3f7d0e and later), and what it costs now:
// its only step is its last, so its result is never stored separately.
const OLD_PATH = [STATEMENTS.claim, STATEMENTS.memo, STATEMENTS.step, STATEMENTS.finish];
const NOW_PATH = [STATEMENTS.claim, STATEMENTS.finishOne];

type Drain = {
  concurrency: number;
  perSecond: number;
  spanMs: number;
  wallMs: number;
  nodeCpuMsPerExec: number;
  dbCpuMsPerExec: number | null;
  statementsPerExec: number | null;
  transactionsPerExec: number | null;
  onceOnly: boolean;
};
type Profile = Record<string, { meanMs: number; p50Ms: number }>;
type PhaseResult = {
  phase: string;
  startupMs: number;
  enqueue: { perSecond: number; ms: number };
  drains: Drain[];
  profile: Profile;
  claimPlan: string | null;
};

// ---------------------------------------------------------------------------------------------------------------
// Child: one database

/** CPU time (ms) of every PostgreSQL server process on this machine, from /proc; null where /proc is unreadable. */
function postgresCpuMs(): number | null {
  try {
    const tick = 100; // USER_HZ on Linux
    let total = 0;
    for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") continue;
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
        total += (Number(fields[11]) + Number(fields[12])) * (1000 / tick);
      } catch {
        // The process ended between listing and reading.
      }
    }
    return total;
  } catch {
    return null;
  }
}

function stats(samples: number[]): { meanMs: number; p50Ms: number } {
  return { meanMs: samples.reduce((a, b) => a + b, 0) / samples.length, p50Ms: median(samples) };
}

const PHASES = ["pglite", "postgres", "postgres-async"] as const;
type Phase = (typeof PHASES)[number];

async function runPhase(phase: Phase): Promise<PhaseResult> {
  const url = process.env.BENCH_DATABASE_URL;
  const isPostgres = phase !== "pglite";
  if (isPostgres && !url) throw new Error("BENCH_DATABASE_URL is not set");
  const env = prepareEnv(`engine-${phase}`, isPostgres && url ? { DATABASE_URL: url } : {});
  if (!isPostgres) delete process.env.DATABASE_URL;
  try {
    const [{ db }, { enqueue }, { startWorker }, { workflows }, { Prisma }] = await Promise.all([
      import("@/lib/db/client"),
      import("@/lib/engine/engine"),
      import("@/lib/engine/embedded"),
      import("@/inngest/functions"),
      import("@/lib/db/generated/client"),
    ]);
    const counter = isPostgres ? await countPostgresStatements() : null;
    const { ms: startupMs, value: prisma } = await timed(() => db());

    const enqueueAll = async (prefix: string, count: number) => {
      for (let n = 0; n < count; n++) {
        await prisma.$transaction((tx) => enqueue(tx, "engine.noop", { n }, { key: `${prefix}:${n}` }));
      }
    };
    const drain = async (prefix: string, count: number, concurrency: number): Promise<Drain> => {
      const like = `${prefix}:%`;
      const cpu0 = process.cpuUsage();
      const db0 = isPostgres ? postgresCpuMs() : null;
      const count0 = counter?.read();
      let polls = 0;
      const wall0 = performance.now();
      const worker = startWorker({ definitions: workflows, concurrency, log: () => undefined });
      for (;; polls++) {
        const [row] = await prisma.$queryRaw<{ done: bigint }[]>`SELECT count(*) AS done FROM executions WHERE key LIKE ${like} AND status IN ('completed', 'failed')`;
        if (Number(row?.done ?? 0) >= count) break;
        await sleep(100);
      }
      const wallMs = performance.now() - wall0;
      await worker.stop({ graceMs: 5_000 });
      const count1 = counter?.read();
      const cpu = process.cpuUsage(cpu0);
      const db1 = isPostgres ? postgresCpuMs() : null;
      const [span] = await prisma.$queryRaw<{ first: Date; last: Date; completed: bigint; once: bigint }[]>`
        SELECT min(started_at) AS first, max(finished_at) AS last,
               count(*) FILTER (WHERE status = 'completed') AS completed,
               count(*) FILTER (WHERE status = 'completed' AND attempt = 1) AS once
          FROM executions WHERE key LIKE ${like}`;
      if (!span || Number(span.completed) !== count) throw new Error(`only ${span?.completed} of ${count} executions completed`);
      const spanMs = span.last.getTime() - span.first.getTime();
      return {
        concurrency,
        perSecond: count / (spanMs / 1000),
        spanMs,
        wallMs,
        nodeCpuMsPerExec: (cpu.user + cpu.system) / 1000 / count,
        dbCpuMsPerExec: db0 !== null && db1 !== null ? (db1 - db0) / count : null,
        // The polls above are one statement each; claims that found nothing still count (they are the engine's).
        statementsPerExec: count0 && count1 ? (count1.statements - count0.statements - (polls + 1)) / count : null,
        transactionsPerExec: count0 && count1 ? (count1.transactions - count0.transactions) / count : null,
        onceOnly: Number(span.once) === count,
      };
    };

    // Warm-up: JIT (and PGlite's WebAssembly tier-up), Prisma's query plans, the pool's connections.
    await enqueueAll("warm", WARMUP);
    await drain("warm", WARMUP, CORES);

    const enqueued = await timed(() => enqueueAll("run", N));
    const drains = [await drain("run", N, CORES)];
    if (isPostgres) {
      await enqueueAll("wide", N);
      drains.push(await drain("wide", N, EXTRA_CONCURRENCY));
    }

    // Profile: the database work of one execution, replayed serially with the worker's own statements — then the
    // same fenced writes as single statements (a proposal, see bench/README.md), on a second execution.
    const owner = `bench:${process.pid}`;
    await enqueueAll("prof", 2 * PROFILE_N);
    const samples: Record<string, number[]> = Object.fromEntries(Object.values(STATEMENTS).map((name) => [name, []]));
    const push = (name: string, ms: number) => samples[name]?.push(ms);
    const claimOne = async () => {
      // The claim as it was before fair claiming (claimExecutions in lib/engine/queue.ts now also numbers each project's due work).
      const claim = await timed(
        () => prisma.$queryRaw<{ id: string; attempt: number }[]>`
          UPDATE executions AS e
             SET status = 'running', attempt = e.attempt + 1, lease_owner = ${owner},
                 lease_expires_at = now() + (${30_000}::int * interval '1 millisecond'),
                 started_at = COALESCE(e.started_at, now()), updated_at = now()
            FROM (SELECT id FROM executions
                   WHERE (status = 'queued' AND run_at <= now())
                      OR (status = 'running' AND lease_expires_at < now())
                   ORDER BY run_at, created_at
                   LIMIT ${1}
                   FOR UPDATE SKIP LOCKED) AS c
           WHERE e.id = c.id
       RETURNING e.id, e.attempt`,
      );
      push(STATEMENTS.claim, claim.ms);
      const execution = claim.value[0];
      if (!execution) throw new Error("profile: nothing to claim");
      return execution;
    };
    for (let i = 0; i < PROFILE_N; i++) {
      push(STATEMENTS.select1, (await timed(() => prisma.$queryRaw`SELECT 1`)).ms);
      push(STATEMENTS.emptyTx, (await timed(() => prisma.$transaction((tx) => tx.$queryRaw`SELECT 1`))).ms);

      const execution = await claimOne();
      push(STATEMENTS.memo, (await timed(() => prisma.executionStep.findMany({ where: { executionId: execution.id } }))).ms);
      // Same as fenceFor().commit (lib/engine/step-runner.ts) + assertHeld (lib/engine/queue.ts).
      const held = (tx: Tx) => tx.$queryRaw`
        SELECT id FROM executions
         WHERE id = ${execution.id} AND attempt = ${execution.attempt} AND lease_owner = ${owner}
           AND status = 'running' AND lease_expires_at > now()
         FOR UPDATE`;
      const stepTx = await timed(() =>
        prisma.$transaction(async (tx) => {
          await held(tx);
          await tx.executionStep.create({ data: { executionId: execution.id, stepId: "noop", output: { n: i } } });
        }),
      );
      push(STATEMENTS.step, stepTx.ms);
      const finishTx = await timed(() =>
        prisma.$transaction(async (tx) => {
          await held(tx);
          await tx.execution.update({
            where: { id: execution.id },
            data: { status: "completed", output: { n: i }, lastError: null, leaseOwner: null, leaseExpiresAt: null, finishedAt: new Date() },
          });
        }),
      );
      push(STATEMENTS.finish, finishTx.ms);

      // Proposal: the engine's own fenced writes as one statement each (the row lock and the check live in the statement).
      const other = await claimOne();
      const output = JSON.stringify({ n: i });
      const stepOne = await timed(
        () => prisma.$queryRaw<{ execution_id: string }[]>`
          WITH held AS (SELECT id FROM executions
                         WHERE id = ${other.id} AND attempt = ${other.attempt} AND lease_owner = ${owner}
                           AND status = 'running' AND lease_expires_at > now()
                         FOR UPDATE)
          INSERT INTO execution_steps (execution_id, step_id, output)
          SELECT id, 'noop', ${output}::jsonb FROM held
          RETURNING execution_id`,
      );
      if (stepOne.value.length !== 1) throw new Error("profile: single-statement step insert did not hold the lease");
      push(STATEMENTS.stepOne, stepOne.ms);
      const finishOne = await timed(
        () => prisma.$executeRaw`
          UPDATE executions SET status = 'completed', output = ${output}::jsonb, last_error = NULL, lease_owner = NULL,
                 lease_expires_at = NULL, finished_at = now(), updated_at = now()
           WHERE id = ${other.id} AND attempt = ${other.attempt} AND lease_owner = ${owner}
             AND status = 'running' AND lease_expires_at > now()`,
      );
      if (finishOne.value !== 1) throw new Error("profile: single-statement finish did not hold the lease");
      push(STATEMENTS.finishOne, finishOne.ms);
    }
    const profile: Profile = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, stats(values)]));
    if (isPostgres && url) {
      const { Client } = await import("pg");
      const client = new Client({ connectionString: url });
      await client.connect();
      const raw: number[] = [];
      for (let i = 0; i < PROFILE_N; i++) raw.push((await timed(() => client.query("SELECT 1"))).ms);
      await client.end();
      profile[STATEMENTS.rawSelect1] = stats(raw);
    }
    const plan = await prisma.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN SELECT id FROM executions
       WHERE (status = 'queued' AND run_at <= now()) OR (status = 'running' AND lease_expires_at < now())
       ORDER BY run_at, created_at LIMIT 2 FOR UPDATE SKIP LOCKED`);
    return {
      phase,
      startupMs,
      enqueue: { perSecond: N / (enqueued.ms / 1000), ms: enqueued.ms },
      drains,
      profile,
      claimPlan: plan.map((row) => row["QUERY PLAN"]).join("\n"),
    };
  } finally {
    await env.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: orchestration and report

function runChild(phase: string, env: Record<string, string>): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, "--phase", phase], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let result: PhaseResult | undefined;
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("RESULT ")) result = JSON.parse(line.slice(7)) as PhaseResult;
      else console.log(`  [${phase}] ${line}`);
    });
    child.once("error", reject);
    child.once("close", (code) => (code === 0 && result ? resolve(result) : reject(new Error(`${phase} phase exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  console.log(`# bench/engine — drain ${N} engine.noop executions (embedded engine), PGlite vs PostgreSQL`);
  console.log(await machineNotes());
  const results: PhaseResult[] = [];
  console.log("\nphase pglite (embedded, single process) …");
  results.push(await runChild("pglite", {}));
  for (const phase of ["postgres", "postgres-async"] as const) {
    const database = await createTempDatabase(undefined, phase === "postgres" ? "" : "_async");
    // Diagnostic only: the same run with PostgreSQL's synchronous_commit off shows what the WAL flushes at each commit cost.
    const url = phase === "postgres" ? database.url : `${database.url}?options=${encodeURIComponent("-c synchronous_commit=off")}`;
    try {
      console.log(`phase ${phase} (${url}) …`);
      results.push(await runChild(phase, { BENCH_DATABASE_URL: url }));
    } finally {
      await database.drop();
    }
  }

  const label = (phase: string) => (phase === "postgres-async" ? "postgres*" : phase);
  const footnote = "* the same PostgreSQL with synchronous_commit=off: a diagnostic of what each commit's WAL flush costs, not a setting to ship";
  const rows: string[][] = [];
  for (const result of results) {
    for (const drain of result.drains) {
      rows.push([
        label(result.phase),
        String(drain.concurrency),
        fmt(drain.perSecond, 0),
        fmt(drain.spanMs, 0),
        fmt(drain.wallMs, 0),
        fmt(drain.nodeCpuMsPerExec, 2),
        drain.dbCpuMsPerExec === null ? "—" : fmt(drain.dbCpuMsPerExec, 2),
        drain.statementsPerExec === null ? "—" : `${fmt(drain.statementsPerExec, 1)} / ${fmt(drain.transactionsPerExec ?? Number.NaN, 1)}`,
        drain.onceOnly ? "yes" : "NO",
      ]);
    }
  }
  printTable(
    `Drain of ${N} engine.noop (tasks/s from the first claim to the last completion, database timestamps)`,
    ["database", "concurrency", "tasks/s", "span ms", "wall ms", "node CPU ms/exec", "postgres CPU ms/exec", "statements / tx per exec", "each ran once"],
    rows,
  );
  console.log(footnote);
  printTable(
    `Enqueue of ${N} (one transaction each, sequential, via enqueue())`,
    ["database", "enqueues/s", "total ms", "db start-up ms (connect + migrate)"],
    results.map((r) => [label(r.phase), fmt(r.enqueue.perSecond, 0), fmt(r.enqueue.ms, 0), fmt(r.startupMs, 0)]),
  );
  const names: string[] = Object.values(STATEMENTS);
  printTable(
    `Profile: one execution's database work replayed serially (${PROFILE_N} samples, mean / median ms)`,
    ["statement", ...results.map((r) => label(r.phase))],
    names.map((name) => [name, ...results.map((r) => (r.profile[name] ? `${fmt(r.profile[name].meanMs, 2)} / ${fmt(r.profile[name].p50Ms, 2)}` : "—"))]),
  );
  console.log(footnote);
  const pathMs = (profile: Profile, names: readonly string[]) => names.map((name) => profile[name]?.meanMs ?? 0).reduce((a, b) => a + b, 0);
  printTable(
    "Serial database time per execution (sum of means) and the rate one in-flight execution could reach",
    ["database", "old path (claim + memo + 2 fence tx) ms", "per slot /s", "engine now (claim + conditional finish) ms", "per slot /s"],
    results.map((r) => {
      const old = pathMs(r.profile, OLD_PATH);
      const now = pathMs(r.profile, NOW_PATH);
      return [label(r.phase), fmt(old, 2), fmt(1000 / old, 0), fmt(now, 2), fmt(1000 / now, 0)];
    }),
  );
  const pgPlan = results.find((r) => r.phase === "postgres")?.claimPlan;
  if (pgPlan) console.log(`\nclaim subquery plan on PostgreSQL:\n${pgPlan.replace(/^/gm, "  ")}`);

  const pg = results.find((r) => r.phase === "postgres")?.drains[0];
  printTable("Targets", ["measure", "value", "target", "result"], [
    [`PostgreSQL drain, concurrency ${CORES} (= cores)`, `${fmt(pg?.perSecond ?? Number.NaN, 0)}/s`, `≥ ${TARGET_PER_S}/s`, verdict((pg?.perSecond ?? 0) >= TARGET_PER_S)],
  ]);
  console.log(`\nload avg at end: ${loadNow()}`);
}

const phaseIndex = process.argv.indexOf("--phase");
if (phaseIndex >= 0) {
  const phase = process.argv[phaseIndex + 1];
  if (!PHASES.includes(phase as Phase)) throw new Error(`unknown phase ${phase}`);
  runMain(async () => {
    const result = await runPhase(phase as Phase);
    console.log(`RESULT ${JSON.stringify(result)}`);
  });
} else {
  runMain(main);
}
