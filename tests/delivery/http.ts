// Small HTTP helpers for the delivery tests: API calls over the loopback app server, byte downloads, ffprobe.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promisify } from "node:util";

const run = promisify(execFile);

export const sha = (bytes: Buffer | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export type ApiResult = { status: number; body: any; headers: Headers };

/** An API call over HTTP, bare 2025-08-20 bodies unless `version` says otherwise. */
export async function api(origin: string, method: string, path: string, options: { key: string; body?: unknown; version?: string }): Promise<ApiResult> {
  const headers: Record<string, string> = { Authorization: `Bearer ${options.key}`, "Accept-Version": options.version ?? "2025-08-20" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${origin}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

export async function get(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(url, { method, headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

export type Probe = {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
  format: { format_name: string; duration?: string };
};

/** ffprobe reading straight from an HTTP URL (a test client, not the product). */
export async function ffprobeUrl(url: string): Promise<Probe> {
  const { stdout } = await run("ffprobe", ["-v", "error", "-show_streams", "-show_format", "-of", "json", url], { timeout: 30_000 });
  return JSON.parse(stdout) as Probe;
}

/** Decodes one frame at `seconds` from an HTTP URL, as raw 8-bit grey pixels. */
export async function frameAt(url: string, seconds: number): Promise<Buffer> {
  const { stdout } = await run(
    "ffmpeg",
    ["-hide_banner", "-loglevel", "error", "-nostdin", "-ss", String(seconds), "-i", url, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"],
    { encoding: "buffer", timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}
