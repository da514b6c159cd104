// A 200 MB upload through tus-js-client survives five cut connections and a server killed with SIGKILL and restarted on
// the same data dir: it completes, the bytes read back identical, and each interruption costs at most one chunk again.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import * as tus from "tus-js-client";
import { afterAll, describe, expect, it } from "vitest";

const KEY = "ittybit_test_tus_resume_bootstrap_key_0001";
const CHUNK = 16 * 1024 * 1024;
const CUTS = 5;

/** ~211 MB of stereo 48 kHz PCM noise: real media, made once and cached beside the other fixtures. */
async function bigWav(): Promise<string> {
  const dir = path.join(os.tmpdir(), "mediabit-media-fixtures");
  const file = path.join(dir, "resume-noise-1100s-v1.wav");
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const building = `${file}.${process.pid}.wav`;
  const args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "anoisesrc=d=1100:c=pink:r=48000:a=0.3", "-ac", "2", "-c:a", "pcm_s16le", building];
  await promisify(execFile)("ffmpeg", args, { timeout: 120_000 });
  renameSync(building, file);
  return file;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Loopback TCP proxy to a server whose port may change (a restarted process): counts the bytes clients send through it. */
async function startCountingProxy() {
  const open = new Set<net.Socket>();
  let target = 0;
  let sent = 0;
  const server = net.createServer((client) => {
    open.add(client);
    const upstream = net.connect(target, "127.0.0.1");
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("data", (chunk: Buffer) => (sent += chunk.length));
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setTarget: (port: number) => (target = port),
    sent: () => sent,
    /** Drops every open connection, as a network failure does. */
    cut: () => {
      for (const socket of open) socket.destroy();
      open.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const children: ChildProcess[] = [];

async function startApp(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, MEDIABIT_DATA_DIR: dataDir, MEDIABIT_BOOTSTRAP_KEY: KEY, MEDIABIT_TEST_KEEP_DATA_DIR: "1" };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "tests/uploads/app-process.ts"], { env, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const origin = await new Promise<string>((resolve, reject) => {
    lines.on("line", (line) => {
      const ready = /^ready (http:\/\/\S+)$/.exec(line);
      if (ready) resolve(ready[1]!);
    });
    child.once("exit", (code) => reject(new Error(`app process exited with ${code} before it was ready`)));
  });
  return { child, port: Number(new URL(origin).port) };
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("tus resumption", () => {
  it("completes a 200 MB upload through 5 cut connections and a SIGKILLed server, re-sending at most a chunk per interruption", async () => {
    const wav = await bigWav();
    const size = statSync(wav).size;
    expect(size).toBeGreaterThan(200_000_000);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "mediabit-resume-"));
    const proxy = await startCountingProxy();
    try {
      let app = await startApp(dataDir);
      proxy.setTarget(app.port);

      const created = await fetch(`${proxy.origin}/api/uploads`, {
        method: "POST",
        headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json", "Accept-Version": "latest" },
        body: JSON.stringify({ filename: "noise.wav" }),
      });
      expect(created.status).toBe(201);
      const upload = (await created.json()) as { id: string; url: string };
      const sentBefore = proxy.sent();

      // Interruptions at fixed fractions of the file; the kill comes after the third cut.
      const marks = Array.from({ length: CUTS + 1 }, (_, i) => Math.floor(((i + 1) * size) / (CUTS + 2)));
      let interruptions = 0;
      let restarting: Promise<void> | undefined;
      const interrupt = () => {
        interruptions++;
        if (interruptions === 4) {
          const dead = app.child;
          dead.kill("SIGKILL");
          proxy.cut();
          restarting = new Promise<void>((resolve) => dead.once("exit", () => resolve())).then(async () => {
            app = await startApp(dataDir);
            proxy.setTarget(app.port);
          });
          return;
        }
        proxy.cut();
      };

      const finished = await new Promise<{ body: string }>((resolve, reject) => {
        const client = new tus.Upload(createReadStream(wav), {
          endpoint: upload.url,
          chunkSize: CHUNK,
          uploadSize: size,
          retryDelays: Array.from({ length: 60 }, () => 250),
          storeFingerprintForResuming: false,
          metadata: { filename: "noise.wav" },
          onProgress: (sent) => {
            if (interruptions < marks.length && sent >= marks[interruptions]!) interrupt();
          },
          onAfterResponse: (request, response) => {
            if (request.getMethod() === "PATCH" && Number(response.getHeader("Upload-Offset")) === size) resolve({ body: response.getBody() });
          },
          onError: reject,
        });
        client.start();
      });
      await restarting;
      expect(interruptions).toBe(CUTS + 1);

      const file = JSON.parse(finished.body) as { id: string; url: string; filesize: number; kind: string };
      expect(file).toMatchObject({ filesize: size, kind: "audio" });
      const received = proxy.sent() - sentBefore;
      // Request lines and headers cost a little beyond the payload; each interruption may cost one chunk again.
      expect(received).toBeGreaterThanOrEqual(size);
      expect(received).toBeLessThanOrEqual(size + (CUTS + 1) * CHUNK + 200 * 1024);

      const stored = await fetch(new URL(new URL(file.url).pathname, proxy.origin));
      expect(stored.status).toBe(200);
      const hash = createHash("sha256");
      for await (const chunk of Readable.fromWeb(stored.body as import("node:stream/web").ReadableStream)) hash.update(chunk as Buffer);
      expect(hash.digest("hex")).toBe(await sha256File(wav));

      const status = await fetch(`${proxy.origin}/api/uploads/${upload.id}`, { headers: { Authorization: `Bearer ${KEY}`, "Accept-Version": "latest" } });
      expect(await status.json()).toMatchObject({ status: "completed", file_id: file.id, bytes_received: size });
      // Published before the last PATCH was answered: the tus bytes moved into the store, nothing left behind.
      expect(readdirSync(path.join(dataDir, "uploads", "tus"))).toEqual([]);
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
      await proxy.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
