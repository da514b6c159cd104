// Benchmark: a 1 GiB WAV uploaded through an upload URL with tus (one PATCH of the whole file, as tus-js-client sends by
// default, and 64 MiB chunks) vs `curl -T` to a bare node:http server that writes to disk and fsyncs before answering.
// Run: npx tsx bench/upload.ts [--next]   (targets: throughput ≥ 0.8× the bare server, server RSS growth < 64 MB)
// --next measures `next start` of this checkout's build instead of the route handlers served in this process.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { busyWarning, cachedInput, ffmpeg, fmt, loadNow, machineNotes, measured, median, MB, prepareEnv, printTable, runMain, runTool, sampleRss, sleep, syncDisks, verdict } from "./lib";

const RUNS = 3;
const TARGET_RATIO = 0.8;
const TARGET_RSS_BYTES = 64 * 1024 * 1024;
const GIB = 1024 ** 3;
const CHUNK = 64 * 1024 * 1024;

/** 1 GiB of 48 kHz stereo 16-bit PCM noise in WAV: real media (publish probes it), 5592 s long. */
async function makeWav(output: string): Promise<void> {
  await ffmpeg("-f", "lavfi", "-i", "anoisesrc=c=white:r=48000:a=0.3", "-ac", "2", "-c:a", "pcm_s16le", "-fs", String(GIB), "-f", "wav", output);
}

/** The baseline: a PUT streamed to a file and fsynced before the 201, the durability Mediabit gives a PATCH. */
async function startBareServer(dir: string): Promise<{ origin: string; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    const file = path.join(dir, `bare-${++n}.bin`);
    const out = createWriteStream(file);
    pipeline(req, out)
      .then(async () => {
        const handle = await open(file, "r+");
        await handle.datasync();
        await handle.close();
        res.writeHead(201).end();
      })
      .catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const TUS_HEADERS = ["-H", "Tus-Resumable: 1.0.0", "-H", "Content-Type: application/offset+octet-stream"];

/** The input cut into `chunk`-sized files once (curl sends a file with its exact Content-Length; a pipe would be chunked). */
async function chunkFiles(file: string, chunk: number): Promise<string[]> {
  const dir = `${file}.chunks-${chunk}`;
  if (!existsSync(path.join(dir, "done"))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await runTool("split", ["-b", String(chunk), "-d", "-a", "3", file, path.join(dir, "part.")]);
    writeFileSync(path.join(dir, "done"), "");
  }
  return readdirSync(dir).filter((name) => name.startsWith("part.")).sort().map((name) => path.join(dir, name));
}

/** A tus upload by curl: creation, then one PATCH per part, in order (the last one answers the published file). */
async function tusUpload(url: string, parts: string[], size: number): Promise<void> {
  const created = await fetch(url, { method: "POST", headers: { "Tus-Resumable": "1.0.0", "Upload-Length": String(size) } });
  if (created.status !== 201) throw new Error(`tus creation answered ${created.status}: ${await created.text()}`);
  const location = created.headers.get("location")!;
  let offset = 0;
  for (const part of parts) {
    await runTool("curl", ["-sf", "-X", "PATCH", "-T", part, ...TUS_HEADERS, "-H", `Upload-Offset: ${offset}`, location]);
    offset += statSync(part).size;
  }
}

type Target = {
  label: string;
  newUrl: () => Promise<{ id: string; url: string }>;
  /** Checks the upload ended as a file of `size` bytes, then deletes the file (and its stored bytes). */
  removeStored: (uploadId: string, size: number) => Promise<void>;
  sampleRss: () => { stop: () => { growth: number } };
  /** CPU the server spent outside this process (0 in-process: `measured` counts it already). */
  cpuMs: () => number;
  close: () => Promise<void>;
};

const KEY = "ittybit_bench_upload_bootstrap_key_000001";

async function apiJson(origin: string, method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${origin}${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${KEY}`, "Accept-Version": "latest", ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

function apiTarget(origin: string): Pick<Target, "newUrl" | "removeStored"> {
  return {
    newUrl: async () => {
      const res = await apiJson(origin, "POST", "/api/uploads", {});
      if (res.status !== 201) throw new Error(`POST /api/uploads answered ${res.status}`);
      return res.body as { id: string; url: string };
    },
    removeStored: async (uploadId, size) => {
      const upload = (await apiJson(origin, "GET", `/api/uploads/${uploadId}`)).body as { status: string; file_id: string | null; error: string | null };
      if (upload.status !== "completed" || !upload.file_id) throw new Error(`upload ${uploadId} is ${upload.status}: ${upload.error}`);
      const file = (await apiJson(origin, "GET", `/api/files/${upload.file_id}`)).body as { filesize: number };
      if (file.filesize !== size) throw new Error(`stored ${file.filesize} of ${size} bytes`);
      const deleted = await apiJson(origin, "DELETE", `/api/files/${upload.file_id}`);
      if (deleted.status !== 200) throw new Error(`DELETE /api/files answered ${deleted.status}`);
    },
  };
}

/** The route handlers served on loopback inside this process (tests/helpers/http-app.ts), embedded PGlite. */
async function inProcessTarget(): Promise<Target> {
  process.env.MEDIABIT_BOOTSTRAP_KEY = KEY;
  const [{ startAppServer }, { bootstrap }] = await Promise.all([import("@/tests/helpers/http-app"), import("@/lib/bootstrap")]);
  await bootstrap();
  const app = await startAppServer();
  return { label: "route handlers in this process (startAppServer)", ...apiTarget(app.origin), sampleRss: () => sampleRss(50), cpuMs: () => 0, close: app.close };
}

/** The processes of a group (`next start` runs its server in a child). */
function groupPids(pgid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[2]) === pgid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A /proc file of a process that may have just exited (an ffprobe the server ran): empty then. */
function procFile(pid: number, name: string): string {
  try {
    return readFileSync(`/proc/${pid}/${name}`, "utf8");
  } catch {
    return "";
  }
}

/** RSS of the whole group, ffprobe runs included: they are the server's work too. */
function groupRss(pgid: number): number {
  let total = 0;
  for (const pid of groupPids(pgid)) {
    const match = /VmRSS:\s+(\d+) kB/.exec(procFile(pid, "status"));
    total += match ? Number(match[1]) * 1024 : 0;
  }
  return total;
}

/** User + system CPU of the group's live processes (and of the children they waited for), in ms (100 ticks/s). */
function groupCpuMs(pgid: number): number {
  let total = 0;
  for (const pid of groupPids(pgid)) {
    const fields = procFile(pid, "stat").split(") ")[1]?.split(" ") ?? [];
    total += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) * 10;
  }
  return total;
}

/** `next start` of this checkout's build (`next build` first) on its own data dir, embedded PGlite. */
async function nextTarget(dataDir: string): Promise<Target> {
  if (!existsSync(".next/BUILD_ID")) throw new Error("--next needs a production build: run `npx next build` first");
  const port = 3251;
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: { ...process.env, PORT: String(port), MEDIABIT_DATA_DIR: dataDir, MEDIABIT_BOOTSTRAP_KEY: KEY, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
    detached: true,
  });
  const pgid = child.pid!;
  for (let i = 0; ; i++) {
    if (await fetch(`${origin}/api/health`).then((r) => r.ok).catch(() => false)) break;
    if (i > 300) throw new Error("next start did not become healthy in 60 s");
    await sleep(200);
  }
  return {
    label: `next start (pid ${pgid}), RSS and CPU of its process group`,
    ...apiTarget(origin),
    sampleRss: () => {
      const base = groupRss(pgid);
      let peak = base;
      const timer = setInterval(() => (peak = Math.max(peak, groupRss(pgid))), 50);
      return {
        stop: () => {
          clearInterval(timer);
          return { growth: Math.max(peak, groupRss(pgid)) - base };
        },
      };
    },
    cpuMs: () => groupCpuMs(pgid),
    close: async () => {
      process.kill(-pgid, "SIGTERM");
      await new Promise<void>((resolve) => child.once("exit", () => resolve()));
    },
  };
}

async function main(): Promise<void> {
  console.log("# bench/upload — 1 GiB through an upload URL (tus) vs curl -T to a bare node:http server with fsync");
  console.log(await machineNotes());
  const wav = await cachedInput("upload-1gib.wav", makeWav);
  const size = statSync(wav).size;
  const chunks = await chunkFiles(wav, CHUNK);
  console.log(`input: ${wav} (${size} bytes), also cut into ${chunks.length} parts of ${CHUNK / 1024 ** 2} MiB`);
  const env = prepareEnv("upload");
  let target: Target | undefined;
  const bare = await startBareServer(env.dataDir);
  try {
    target = process.argv.includes("--next") ? await nextTarget(path.join(env.dataDir, "app")) : await inProcessTarget();
    console.log(`server: ${target.label}`);
    const { newUrl, removeStored } = target;

    // Warm-up, not measured: route modules, ffprobe, the page cache holding the input.
    await runTool("cat", [wav]);
    const warm = await newUrl();
    await tusUpload(warm.url, [wav], size);
    await removeStored(warm.id, size);
    await syncDisks();

    type Run = { ms: number; cpuMs: number; rss: number };
    const bareRuns: Run[] = [];
    const bareChunked: Run[] = [];
    const tusWhole: Run[] = [];
    const tusChunked: Run[] = [];
    for (let run = 1; run <= RUNS; run++) {
      await sleep(200);
      const rss = sampleRss(50);
      const b = await measured(() => runTool("curl", ["-sf", "-T", wav, `${bare.origin}/bare.bin`]));
      bareRuns.push({ ms: b.ms, cpuMs: b.cpuMs, rss: rss.stop().growth });
      await syncDisks();
      // The same parts as the chunked tus upload, one request each: what the per-request cost is without Mediabit.
      const bc = await measured(async () => {
        for (const part of chunks) await runTool("curl", ["-sf", "-T", part, `${bare.origin}/bare.bin`]);
      });
      bareChunked.push({ ms: bc.ms, cpuMs: bc.cpuMs, rss: 0 });
      for (const name of readdirSync(env.dataDir)) if (name.startsWith("bare-")) rmSync(path.join(env.dataDir, name), { force: true });
      await syncDisks();

      for (const [parts, runs] of [
        [[wav], tusWhole],
        [chunks, tusChunked],
      ] as const) {
        const upload = await newUrl();
        await sleep(200);
        const serverRss = target.sampleRss();
        const serverCpu = target.cpuMs();
        const t = await measured(() => tusUpload(upload.url, [...parts], size));
        runs.push({ ms: t.ms, cpuMs: t.cpuMs + target.cpuMs() - serverCpu, rss: serverRss.stop().growth });
        await removeStored(upload.id, size);
        await syncDisks();
      }
      console.log(
        `run ${run}: bare ${fmt(b.ms, 0)} ms (${chunks.length} parts ${fmt(bc.ms, 0)} ms) · tus 1 PATCH ${fmt(tusWhole.at(-1)!.ms, 0)} ms (RSS +${fmt(tusWhole.at(-1)!.rss / MB)} MB) · tus ${CHUNK / 1024 ** 2} MiB chunks ${fmt(tusChunked.at(-1)!.ms, 0)} ms (RSS +${fmt(tusChunked.at(-1)!.rss / MB)} MB) · load ${loadNow()}`,
      );
    }

    const row = (label: string, runs: Run[], base: number) => {
      const ms = median(runs.map((r) => r.ms));
      return [label, fmt(ms, 0), fmt(size / MB / (ms / 1000)), `${fmt(base / ms, 2)}×`, fmt(median(runs.map((r) => r.cpuMs)), 0), fmt(Math.max(...runs.map((r) => r.rss)) / MB)];
    };
    const bareMs = median(bareRuns.map((r) => r.ms));
    printTable(`Upload of ${fmt(size / MB, 0)} MB (1 GiB) over loopback — median of ${RUNS}`, ["path", "time ms", "MB/s", "throughput vs bare", "CPU ms", "server RSS growth (worst) MB"], [
      row("curl -T → bare node:http + fsync", bareRuns, bareMs),
      row("tus: POST + 1 PATCH of 1 GiB (curl) → published file", tusWhole, bareMs),
      row(`curl -T each ${CHUNK / 1024 ** 2} MiB part → bare node:http + fsync (${chunks.length} requests)`, bareChunked, bareMs),
      row(`tus: POST + ${CHUNK / 1024 ** 2} MiB PATCHes (curl each) → published file`, tusChunked, bareMs),
    ]);
    const ratio = bareMs / median(tusWhole.map((r) => r.ms));
    const ratioChunked = bareMs / median(tusChunked.map((r) => r.ms));
    const ratioLikeForLike = median(bareChunked.map((r) => r.ms)) / median(tusChunked.map((r) => r.ms));
    const rssWorst = Math.max(...tusWhole.map((r) => r.rss), ...tusChunked.map((r) => r.rss));
    printTable("Targets", ["measure", "value", "target", "result"], [
      ["throughput vs bare (1 PATCH)", `${fmt(ratio, 3)}×`, `≥ ${TARGET_RATIO}×`, verdict(ratio >= TARGET_RATIO)],
      [`throughput vs bare (${CHUNK / 1024 ** 2} MiB chunks)`, `${fmt(ratioChunked, 3)}×`, `≥ ${TARGET_RATIO}×`, verdict(ratioChunked >= TARGET_RATIO)],
      [`(for reference) ${CHUNK / 1024 ** 2} MiB chunks vs the bare server taking the same ${chunks.length} requests`, `${fmt(ratioLikeForLike, 3)}×`, "", ""],
      ["server RSS growth (worst run)", `${fmt(rssWorst / MB)} MB`, "< 64 MB", verdict(rssWorst < TARGET_RSS_BYTES)],
    ]);
    const warning = busyWarning();
    if (warning) console.log(warning);
    console.log(`\nload avg at end: ${loadNow()}`);
  } finally {
    await target?.close();
    await bare.close();
    await env.cleanup();
  }
}

runMain(main);
