// Benchmark: what delivery counting costs on the hot path. The same stored object is served by serveObject (as /f
// serves it) and its body read to the end, with and without countDelivery around the answer, alternating rounds in
// one process (PGlite; the counter's flushes run as in production, every 5 s). Target: counting on ≥ 0.95× the
// requests/s of counting off. Also shows one whole `deliver()` (lookups included) for scale.
//   npx tsx bench/delivery-counting.ts [--requests 400] [--rounds 3]
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fmt, machineNotes, median, printTable, prepareEnv, runMain, verdict } from "./lib";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback);
const REQUESTS = option("--requests", 400);
const ROUNDS = option("--rounds", 3);
const TARGET_RATIO = 0.95;

runMain(async () => {
  const env = prepareEnv("delivery-counting");
  const { createTestProject } = await import("../tests/helpers/api");
  const { newId } = await import("@/lib/ids");
  const { serveObject } = await import("@/lib/storage/serve");
  const { getStore } = await import("@/lib/storage/store");
  const { countDelivery } = await import("@/lib/analytics/count-delivery");
  const { deliver } = await import("@/lib/delivery/deliver");
  const { flushDeliveryStats } = await import("@/lib/analytics/delivery-counter");
  const { db } = await import("@/lib/db/client");
  console.log(await machineNotes());

  const project = await createTestProject("latest");
  const store = getStore();
  const cases: { label: string; size: number; range?: string }[] = [
    { label: "10 KB whole", size: 10 * 1024 },
    { label: "1 MB whole", size: 1024 * 1024 },
    { label: "1 MB, Range 100 bytes", size: 1024 * 1024, range: "bytes=0-99" },
  ];
  const rows: (string | number)[][] = [];
  let worst = Infinity;
  for (const [index, testCase] of cases.entries()) {
    // Noise written straight to the store with its file row: serving never looks inside the bytes.
    const scratch = path.join(env.dataDir, "scratch");
    mkdirSync(scratch, { recursive: true });
    const source = path.join(scratch, `bench-${index}.bin`);
    writeFileSync(source, randomBytes(testCase.size));
    const key = `${project.projectId}/bench-${index}.bin`;
    await store.put(key, source, { contentType: "application/octet-stream" });
    const prisma = await db();
    const media = await prisma.media.create({ data: { id: newId("med"), projectId: project.projectId } });
    const stored = await prisma.file.create({
      data: {
        id: newId("file"),
        projectId: project.projectId,
        mediaId: media.id,
        filename: `bench-${index}.bin`,
        path: `bench-${index}.bin`,
        storageKey: key,
        filesize: BigInt(testCase.size),
        status: "ready",
        original: true,
      },
      include: { project: true },
    });
    const info = (await store.head(stored.storageKey!))!;
    const url = `http://localhost/f/${stored.project.alias}/${stored.path}`;
    const headers: Record<string, string> = testCase.range ? { Range: testCase.range } : {};
    const serve = () =>
      serveObject(new Request(url, { headers }), { store, key: stored.storageKey!, contentType: "application/octet-stream", etag: info.etag, lastModified: info.lastModified, size: info.size, cacheControl: "public" });
    const target = { projectId: project.projectId, mediaId: stored.mediaId };
    const cpu: Record<"on" | "off", number[]> = { on: [], off: [] };
    const run = async (counted: boolean) => {
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      for (let i = 0; i < REQUESTS; i++) {
        const response = await serve();
        await (counted ? countDelivery(response, target) : response).arrayBuffer();
      }
      const used = process.cpuUsage(cpuStart);
      cpu[counted ? "on" : "off"].push((used.user + used.system) / REQUESTS);
      return REQUESTS / ((performance.now() - started) / 1000);
    };
    await run(true);
    await run(false);
    cpu.on.length = 0;
    cpu.off.length = 0;
    const on: number[] = [];
    const off: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      off.push(await run(false));
      on.push(await run(true));
    }
    const whole: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      await (await deliver(new Request(url, { headers }), stored.project.alias, stored.path.split("/"))).arrayBuffer();
      whole.push(performance.now() - started);
    }
    const ratio = median(on) / median(off);
    worst = Math.min(worst, ratio);
    rows.push([testCase.label, fmt(median(off), 0), fmt(median(on), 0), fmt(ratio, 3), fmt(median(cpu.off), 0), fmt(median(cpu.on), 0), fmt(median(whole), 2), verdict(ratio >= TARGET_RATIO)]);
  }
  await flushDeliveryStats();
  const prisma = await db();
  const stats = await prisma.deliveryStat.aggregate({ where: { projectId: project.projectId }, _sum: { requests: true } });
  printTable(`Serving with and without counting (${REQUESTS} requests a round, ${ROUNDS} rounds, median)`, ["case", "off req/s", "on req/s", "on/off", "off CPU µs/req", "on CPU µs/req", "deliver() ms", "≥ 0.95×"], rows);
  console.log(`Requests counted in delivery_stats: ${Number(stats._sum.requests ?? 0)}`);
  console.log(`Worst on/off ratio: ${fmt(worst, 3)}`);
  await env.cleanup();
});
