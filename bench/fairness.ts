// Benchmark: one project's flood must not stall another's work. Project A queues 200 image tasks (12 MP JPEG → 1280
// WebP); then project B submits one. B's task must finish within (B's task alone + one A task) × 1.5, all measured in
// the same run. Run: npx tsx bench/fairness.ts [--pg]
import os from "node:os";
import path from "node:path";
import {
  photoJpeg,
  chooseDatabase,
  fmt,
  ingestUrl,
  loadNow,
  machineNotes,
  median,
  prepareEnv,
  printTable,
  runMain,
  runTaskViaApi,
  sleep,
  startBenchWorker,
  startFileServer,
  CACHE_DIR,
  type TaskRun,
  verdict,
} from "./lib";

const FLOOD = Number(process.env.BENCH_FLOOD ?? 200);
// B's task is measured this many times while A's flood is still queued, one after another.
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WARMUP_TASKS = Number(process.env.BENCH_WARMUP ?? 10);
const SOLO_RUNS = 3;
const TARGET = 1.5;
const OPTIONS = { width: 1280, format: "webp" };

async function main(): Promise<void> {
  console.log(`# bench/fairness — project A queues ${FLOOD} image tasks, then project B submits one: B must not wait for A's queue`);
  console.log(await machineNotes());
  const jpeg = await photoJpeg();
  const database = await chooseDatabase();
  console.log(`database: ${database.label}`);
  const env = prepareEnv("fairness", database.url ? { DATABASE_URL: database.url } : {});
  const server = await startFileServer(CACHE_DIR);
  let stopWorker: (() => Promise<void>) | undefined;
  try {
    const [{ createTestProject, call }, { db }, { projectShare }, { settledOrTimeout }, { taskExecutionKey }] = await Promise.all([
      import("@/tests/helpers/api"),
      import("@/lib/db/client"),
      import("@/lib/engine/settings"),
      import("@/lib/engine/settled"),
      import("@/lib/tasks/execution-key"),
    ]);
    const prisma = await db();
    const started = await startBenchWorker();
    stopWorker = started.stop;
    const [a, b] = [await createTestProject(), await createTestProject()];
    const url = server.url(path.basename(jpeg));
    const [inputA, inputB] = [await ingestUrl(a.key, url), await ingestUrl(b.key, url)];
    const bodyA = { kind: "image", file_id: inputA.id, options: OPTIONS };
    const bodyB = { kind: "image", file_id: inputB.id, options: OPTIONS };
    // startBenchWorker runs as many slots as cores, as a self-hosted server does by default.
    const slots = os.availableParallelism();
    console.log(`worker: concurrency ${slots} (cores), a project's share while another waits: ${projectShare(slots)}`);

    // Warm-up: route modules, libvips, V8 and the database's plans, on both projects.
    for (let i = 0; i < WARMUP_TASKS; i++) await runTaskViaApi(i % 2 ? a.key : b.key, i % 2 ? bodyA : bodyB);

    // Alone, in the same run: B's task, and one of A's.
    const solo: TaskRun[] = [];
    const oneA: TaskRun[] = [];
    for (let i = 0; i < SOLO_RUNS; i++) {
      solo.push(await runTaskViaApi(b.key, bodyB));
      oneA.push(await runTaskViaApi(a.key, bodyA));
    }
    const soloMs = median(solo.map((r) => r.ms));
    const oneAMs = median(oneA.map((r) => r.ms));
    const budgetMs = (soloMs + oneAMs) * TARGET;

    // The flood: A's tasks, submitted as fast as the API takes them.
    const floodStart = Date.now();
    const submitted: string[] = [];
    for (let i = 0; i < FLOOD; i++) {
      const res = await call("POST", "/api/tasks", { key: a.key, body: bodyA });
      if (res.status !== 201) throw new Error(`POST /api/tasks (A) answered ${res.status}: ${JSON.stringify(res.body)}`);
      submitted.push((res.body.data ?? res.body).id as string);
    }
    const submitMs = Date.now() - floodStart;
    const waitingA = () => prisma.task.count({ where: { id: { in: submitted }, status: { in: ["waiting", "queued", "processing"] } } });
    const doneA = () => prisma.task.count({ where: { id: { in: submitted }, status: { notIn: ["waiting", "queued", "processing"] } } });

    // B, while A's queue is long: each run starts after the last ends. (runTaskViaApi would wait for the worker to
    // be idle, that is for A's whole queue; this waits for B's execution alone.)
    const runB = async (): Promise<TaskRun> => {
      const wall0 = Date.now();
      const res = await call("POST", "/api/tasks", { key: b.key, body: bodyB });
      if (res.status !== 201) throw new Error(`POST /api/tasks (B) answered ${res.status}: ${JSON.stringify(res.body)}`);
      const taskId = (res.body.data ?? res.body).id as string;
      for (;;) {
        await settledOrTimeout(taskExecutionKey(taskId), 250);
        const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId } });
        if (task.status === "failed" || task.status === "cancelled") throw new Error(`B's task ${taskId} ${task.status}: ${task.error}`);
        if (task.status !== "succeeded" || !task.finishedAt || !task.startedAt) continue;
        const ms = task.finishedAt.getTime() - wall0;
        const queueMs = task.startedAt.getTime() - wall0;
        return { taskId, ms, createMs: Number.NaN, queueMs, runMs: ms - queueMs, plan: task.plan, toolMs: Number.NaN, outputFileId: task.outputFileId, polls: 0, headStarted: false };
      }
    };
    const behind: (TaskRun & { aWaiting: number; aDoneDuring: number })[] = [];
    for (let i = 0; i < RUNS; i++) {
      const aWaiting = await waitingA();
      const before = await doneA();
      const run = await runB();
      behind.push({ ...run, aWaiting, aDoneDuring: (await doneA()) - before });
      console.log(
        `B run ${i + 1}: ${fmt(run.ms, 0)} ms (queued ${fmt(run.queueMs, 0)} ms, ran ${fmt(run.runMs, 0)} ms) with ${aWaiting} of A's tasks waiting; ` +
          `${behind.at(-1)?.aDoneDuring} of A's finished meanwhile · load ${loadNow()}`,
      );
    }

    // A's flood drains at full speed: every slot busy (B has nothing left waiting).
    while ((await waitingA()) > 0) await sleep(500);
    const drainMs = Date.now() - floodStart;
    const failedA = await prisma.task.count({ where: { id: { in: submitted }, status: { not: "succeeded" } } });
    if (failedA > 0) throw new Error(`${failedA} of A's tasks did not succeed`);
    const outputs = await prisma.file.findMany({ where: { id: { in: behind.map((r) => r.outputFileId ?? "") } } });
    if (outputs.length !== RUNS || outputs.some((f) => f.width !== 1280 || f.type !== "image/webp")) throw new Error("B's outputs are not 1280-wide WebP images");

    const behindMs = median(behind.map((r) => r.ms));
    const worstMs = Math.max(...behind.map((r) => r.ms));
    printTable(`B's image task alone and behind A's ${FLOOD} (ms, request → task finished)`, ["measure", "ms", "note"], [
      ["B's task alone (solo), median of 3", fmt(soloMs, 0), solo.map((r) => fmt(r.ms, 0)).join(" / ")],
      ["one A task alone, median of 3", fmt(oneAMs, 0), oneA.map((r) => fmt(r.ms, 0)).join(" / ")],
      ["budget: (solo + one A task) × 1.5", fmt(budgetMs, 0), ""],
      [`B behind A's queue, median of ${RUNS}`, fmt(behindMs, 0), behind.map((r) => fmt(r.ms, 0)).join(" / ")],
      ["  of which queued (request → worker started it)", fmt(median(behind.map((r) => r.queueMs)), 0), behind.map((r) => fmt(r.queueMs, 0)).join(" / ")],
      ["B behind A's queue, worst", fmt(worstMs, 0), ""],
      [`first-come first-served would have queued B behind`, `${behind[0]?.aWaiting ?? "?"} tasks`, `≈ ${fmt(((behind[0]?.aWaiting ?? 0) * oneAMs) / slots / 1000, 1)} s at ${slots} slots`],
      [`A's ${FLOOD} submitted / drained`, `${fmt(submitMs / 1000, 1)} s / ${fmt(drainMs / 1000, 1)} s`, `${fmt(FLOOD / (drainMs / 1000), 1)} A tasks/s while B ran ${RUNS}`],
    ]);
    const ratio = behindMs / (soloMs + oneAMs);
    printTable("Targets", ["measure", "value", "target", "result"], [
      ["B behind A's flood / (B alone + one A task), median", `${fmt(ratio, 2)}×`, `≤ ${TARGET}×`, verdict(ratio <= TARGET)],
      ["the same, worst run (for reference)", `${fmt(worstMs / (soloMs + oneAMs), 2)}×`, `≤ ${TARGET}×`, verdict(worstMs <= budgetMs)],
    ]);
    console.log(`\nload avg at end: ${loadNow()}`);
  } finally {
    await stopWorker?.();
    await server.close();
    await env.cleanup();
    await database.drop();
  }
}

runMain(main);
