// Small stream adapters shared by the stores and the HTTP responder.
import { createReadStream, createWriteStream } from "node:fs";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PutBody, Store } from "./store-types";

/** A PutBody as a Readable: a string is the path of a local file. */
export function openBody(body: PutBody): Readable {
  return typeof body === "string" ? createReadStream(body) : body;
}

export function pipeBody(body: PutBody, writable: Writable, signal?: AbortSignal): Promise<void> {
  return pipeline(openBody(body), writable, ...(signal ? [{ signal }] : []));
}

/**
 * A web ReadableStream that pulls one chunk from the Node stream per read, so a slow client keeps memory flat;
 * cancelling it (client went away) destroys the source.
 */
export function toWebStream(readable: Readable): ReadableStream<Uint8Array> {
  const iterator = readable[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await iterator.next();
          if (done) {
            controller.close();
            return;
          }
          const chunk = typeof value === "string" ? Buffer.from(value) : value;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel(reason) {
        readable.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Streams a stored object into a local file (a scratch copy for tools that need a path); returns its size and type. */
export async function copyObjectToFile(
  store: Pick<Store, "get">,
  key: string,
  file: string,
  options: { signal?: AbortSignal } = {},
): Promise<{ size: number; contentType: string }> {
  const object = await store.get(key);
  await pipeline(object.body, createWriteStream(file, { flags: "w", mode: 0o600 }), ...(options.signal ? [{ signal: options.signal }] : []));
  return { size: object.size, contentType: object.contentType };
}
