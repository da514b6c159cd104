// Upload URLs under the real server (`next start`): nothing in front of /u buffers or caps a body — a 64 MB multipart
// POST, a raw PUT and a tus upload arrive whole — and a browser on another origin gets its CORS answers. Needs a
// production build (scripts/test-all.sh builds first).
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tus from "tus-js-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/tests/helpers/wait";

const KEY = "ittybit_test_next_upload_urls_key_000001";
const PORT = 3231;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const built = existsSync(".next/BUILD_ID");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let server: ChildProcess | undefined;
let dataDir = "";

/** A real WAV over 64 MB: well past any body limit a framework might apply by default (Next's proxy caps at 10 MB). */
function bigWav(seconds: number): Buffer {
  const pcm = Buffer.alloc(seconds * 48_000 * 2 * 2);
  for (let i = 0; i < pcm.length; i += 2) pcm.writeInt16LE(((i * 7919) % 20_000) - 10_000, i);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(48_000, 24);
  header.writeUInt32LE(48_000 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

async function newUploadUrl(body: Record<string, unknown> = {}): Promise<{ id: string; url: string }> {
  const res = await fetch(`${ORIGIN}/api/uploads`, { method: "POST", headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json", "Accept-Version": "latest" }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; url: string };
}

async function delivered(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return sha256(new Uint8Array(await res.arrayBuffer()));
}

beforeAll(async () => {
  if (!built) return;
  dataDir = mkdtempSync(path.join(os.tmpdir(), "mediabit-next-uploads-"));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), MEDIABIT_DATA_DIR: dataDir, MEDIABIT_BOOTSTRAP_KEY: KEY, NEXT_TELEMETRY_DISABLED: "1" };
  delete env.DATABASE_URL;
  server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(PORT)], { env, stdio: "ignore", detached: true });
  await waitFor(() => fetch(`${ORIGIN}/api/health`).then((r) => r.ok).catch(() => false), 90_000, "next start");
}, 120_000);

afterAll(() => {
  // `next start` runs its server in a child process: end the whole group.
  if (server?.pid) process.kill(-server.pid, "SIGKILL");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!built)("upload URLs under next start", () => {
  const wav = bigWav(360);

  it("takes a 69 MB multipart POST and a raw PUT whole", async () => {
    expect(wav.length).toBeGreaterThan(64 * 1024 * 1024);
    const posted = await newUploadUrl({ filename: "posted.wav" });
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(wav)]), "x.wav");
    const post = await fetch(posted.url, { method: "POST", body: form });
    expect(post.status).toBe(200);
    const postFile = (await post.json()) as { url: string; filesize: number; kind: string };
    expect(postFile).toMatchObject({ filesize: wav.length, kind: "audio" });
    expect(await delivered(postFile.url)).toBe(sha256(wav));

    const put = await fetch((await newUploadUrl({ filename: "put.wav" })).url, { method: "PUT", body: new Uint8Array(wav) });
    expect(put.status).toBe(200);
    expect(await delivered(((await put.json()) as { url: string }).url)).toBe(sha256(wav));
  });

  it("takes a tus upload from tus-js-client in 16 MiB chunks and answers its last PATCH with the file", async () => {
    const upload = await newUploadUrl({ filename: "tus.wav" });
    const body = await new Promise<string>((resolve, reject) => {
      new tus.Upload(wav, {
        endpoint: upload.url,
        chunkSize: 16 * 1024 * 1024,
        storeFingerprintForResuming: false,
        onAfterResponse: (request, response) => {
          if (request.getMethod() === "PATCH" && Number(response.getHeader("Upload-Offset")) === wav.length) resolve(response.getBody());
        },
        onError: reject,
      }).start();
    });
    const file = JSON.parse(body) as { url: string; filesize: number };
    expect(file.filesize).toBe(wav.length);
    expect(await delivered(file.url)).toBe(sha256(wav));
  });

  it("answers a cross-origin preflight and exposes the tus headers", async () => {
    const upload = await newUploadUrl();
    const preflight = await fetch(upload.url, { method: "OPTIONS", headers: { Origin: "https://app.example", "Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "tus-resumable,upload-offset,content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toMatch(/PATCH/);
    const created = await fetch(upload.url, { method: "POST", headers: { Origin: "https://app.example", "Tus-Resumable": "1.0.0", "Upload-Length": "100" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("access-control-allow-origin")).toBe("*");
    expect(created.headers.get("access-control-expose-headers")).toMatch(/Location/);
    expect(created.headers.get("location")).toMatch(new RegExp(`^${upload.url}/`));
  });
});
