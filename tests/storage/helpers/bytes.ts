// Deterministic bytes generated on the fly (AES-CTR keystream) and hashing of whatever comes back.
import { createCipheriv, createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";

const CHUNK = 64 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

export type Generated = { stream: Readable; sha256: () => string };

/** `total` pseudo-random bytes from `seed`, produced chunk by chunk so nothing large is ever allocated. */
export function generatedBytes(total: number, seed = "mediabit"): Generated {
  const key = createHash("sha256").update(seed).digest().subarray(0, 16);
  const cipher = createCipheriv("aes-128-ctr", key, Buffer.alloc(16));
  const hash = createHash("sha256");
  let left = total;
  const stream = new Readable({
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const size = Math.min(CHUNK, left);
      const chunk = cipher.update(ZEROS.subarray(0, size));
      left -= size;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  let digest: string | undefined;
  return {
    stream,
    sha256: () => {
      if (left !== 0) throw new Error("the generated stream was not fully read");
      digest ??= hash.digest("hex");
      return digest;
    },
  };
}

/** The same bytes as a Buffer, for small sizes where a test also needs random access. */
export async function generatedBuffer(total: number, seed = "mediabit"): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of generatedBytes(total, seed).stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

export function sha256Of(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Hash and length of a Node or web stream, read to the end. */
export async function digestStream(body: Readable | ReadableStream<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const source = body instanceof Readable ? body : Readable.fromWeb(body as NodeWebReadableStream<Uint8Array>);
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of source) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

export async function readAll(body: Readable | ReadableStream<Uint8Array>): Promise<Buffer> {
  const source = body instanceof Readable ? body : Readable.fromWeb(body as NodeWebReadableStream<Uint8Array>);
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts);
}
