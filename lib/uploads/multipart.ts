// The bytes of a multipart POST (field `file`) or a raw PUT, streamed into a scratch file as they arrive: never
// buffered whole, refused past MEDIABIT_MAX_FILE_BYTES while they come in.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "@/lib/api/errors";
import { env } from "@/lib/env";
import { writeScratch, type Scratch } from "@/lib/files/scratch";

export type ReceivedBody = { scratch: Scratch; clientFilename?: string };

type ReceiveOptions = { name: string; signal?: AbortSignal; onBytes: (total: number) => void };

/** The part holding the upload; other file parts are skipped. */
const FILE_FIELD = "file";

function tooLarge(): AppError {
  return new AppError("payload_too_large", `The upload is larger than this server accepts (${env().MEDIABIT_MAX_FILE_BYTES} bytes, MEDIABIT_MAX_FILE_BYTES); nothing was stored.`);
}

/** The client stopped sending (a dropped connection, a cancelled request): nothing was kept, the URL is as it was. */
function interrupted(): AppError {
  return new AppError("request_invalid", "The upload was interrupted before all its bytes arrived; nothing was stored. Send it again.");
}

function bodyStream(request: Request): Readable {
  if (!request.body) throw new AppError("invalid_input", "The request has no body: send the file's bytes.");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > env().MEDIABIT_MAX_FILE_BYTES) throw tooLarge();
  return Readable.fromWeb(request.body as NodeReadableStream);
}

function scratchOptions(options: ReceiveOptions) {
  return {
    name: options.name,
    signal: options.signal,
    tooLarge,
    check: (_length: number, total: number) => {
      options.onBytes(total);
      return undefined;
    },
  };
}

/** A raw PUT: the body is the file. */
export async function receiveRawBody(request: Request, options: ReceiveOptions): Promise<ReceivedBody> {
  const source = bodyStream(request);
  try {
    return { scratch: await writeScratch(source, scratchOptions(options)) };
  } catch (error) {
    if (!(error instanceof AppError) && (source.errored || options.signal?.aborted)) throw interrupted();
    throw error;
  }
}

/** A `multipart/form-data` POST: the `file` part is the file (its filename is the client's name for it). */
export async function receiveMultipartBody(request: Request, options: ReceiveOptions): Promise<ReceivedBody> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new AppError("unsupported_media_type", "POST the file as multipart/form-data (field `file`), PUT its raw bytes, or use tus (send Tus-Resumable).");
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { "content-type": contentType }, limits: { fields: 100, fieldSize: 64 * 1024, parts: 200 } });
  } catch (error) {
    throw new AppError("request_invalid", `The multipart body cannot be read: ${(error as Error).message}.`);
  }
  const source = bodyStream(request);
  return new Promise<ReceivedBody>((resolve, reject) => {
    let receiving: Promise<ReceivedBody> | undefined;
    let settled = false;
    // A body that stopped arriving is the client's abort; a malformed one is a 400 saying why.
    const classify = (error: unknown): unknown => {
      if (error instanceof AppError) return error;
      if (source.errored || options.signal?.aborted) return interrupted();
      return new AppError("request_invalid", `The multipart body cannot be read: ${(error as Error).message}.`);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      source.destroy();
      // A part received whole before the body failed is not kept either.
      receiving?.then((received) => received.scratch.remove(), () => undefined);
      reject(error);
    };
    parser.on("file", (field, stream, info) => {
      if (receiving || field !== FILE_FIELD) {
        stream.resume();
        return;
      }
      receiving = writeScratch(stream, scratchOptions(options)).then((scratch) => ({ scratch, clientFilename: info.filename || undefined }));
      receiving.catch((error: unknown) => fail(classify(error)));
    });
    parser.on("close", () => {
      if (source.errored || options.signal?.aborted) return fail(interrupted());
      if (!receiving) return fail(new AppError("invalid_input", "The multipart body has no `file` field: send the upload in a part named `file`."));
      receiving.then(
        (received) => {
          if (settled) return;
          settled = true;
          resolve(received);
        },
        (error: unknown) => fail(classify(error)),
      );
    });
    pipeline(source, parser).catch((error: unknown) => fail(classify(error)));
  });
}
