// PUT /f/<alias>/<path> through the route handlers, and reading back what delivery serves.
import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { dispatch } from "@/tests/helpers/api";

export type PutResult = { status: number; body: any; headers: Headers };

export const sha256 = (bytes: Buffer | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const ORIGIN = "http://localhost:3000";

/** A PUT with `body` (bytes, or a stream sent without Content-Length); `key` adds `Authorization: Bearer`. */
export async function put(url: string, body: Buffer | ReadableStream<Uint8Array> | null, options: { key?: string; headers?: Record<string, string> } = {}): Promise<PutResult> {
  const headers = new Headers(options.headers);
  if (options.key) headers.set("authorization", `Bearer ${options.key}`);
  if (Buffer.isBuffer(body) && !headers.has("content-length")) headers.set("content-length", String(body.length));
  const request = new Request(new URL(url, ORIGIN), { method: "PUT", headers, body, duplex: "half" } as RequestInit);
  const response = await dispatch(request);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** GET through delivery: status and bytes. */
export async function download(url: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await dispatch(new Request(new URL(url, ORIGIN)));
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

export async function aliasOf(projectId: string): Promise<string> {
  const prisma = await db();
  return (await prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { alias: true } })).alias;
}

/** A body that streams `total` bytes in 16 KiB pieces, with no length known up front. */
export function streamOf(total: number, fill = 7): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(16 * 1024, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(fill));
    },
  });
}

/** The error object of a refusal, whichever profile it was rendered in. */
export function problem(result: PutResult): { kind: string; message: string } {
  return result.body?.error ?? result.body;
}
