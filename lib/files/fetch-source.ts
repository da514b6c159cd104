// Streams a task's source (an http(s) URL through the SSRF guard, or s3:// through a connection)
// into a scratch file on local disk, refusing oversized bodies as they arrive.
import type { Readable } from "node:stream";
import { AppError } from "@/lib/api/errors";
import { redactCredentials } from "@/lib/net/redact";
import { connectionSettings } from "@/lib/connections/connections";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { READ_BUFFER_BYTES, writeScratch, type Scratch } from "@/lib/files/scratch";
import { DownloadPaceError, outboundRequest, watchDownloadPace, type DownloadPace } from "@/lib/net/outbound";
import { createConnectionStore, isObjectNotFound } from "@/lib/storage/store";
import type { TSource } from "@/lib/tasks/schemas";

type Opened = { body: Readable; size?: number; contentType?: string; close?: () => void };

const HTTP_REASONS: Record<number, string> = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 410: "Gone" };

function sourceLabel(source: TSource): string {
  return source.type === "url" ? redactCredentials(source.url.replace(/\?.*$/, "?…")) : source.type === "s3" ? `s3://${source.bucket}/${source.key}` : source.type;
}

/** A bare socket error code says little: name the host problem, and give up at once on a name that does not exist. */
function describeNetworkError(error: unknown, source: TSource): unknown {
  if (!(error instanceof Error) || error.name === "AbortError" || error.name === "OutboundBlockedError") return error;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as NodeJS.ErrnoException).code;
  if (code === "ENOTFOUND") return new AppError("invalid_input", `The source host could not be resolved: ${sourceLabel(source)}.`);
  return new Error(`could not download ${sourceLabel(source)}: ${code ?? cause?.message ?? error.message}`, { cause: error });
}

async function openSource(projectId: string, source: TSource, signal: AbortSignal): Promise<Opened> {
  if (source.type === "url") {
    const response = await outboundRequest(source.url, { signal, timeoutMs: 30_000, highWaterMark: READ_BUFFER_BYTES }).catch(
      (error: unknown) => {
        throw describeNetworkError(error, source);
      },
    );
    if (response.status < 200 || response.status > 299) {
      // Only frees the socket; the status below is the error that matters.
      await response.body.dump().catch(() => undefined);
      const status = `${response.status} ${HTTP_REASONS[response.status] ?? ""}`.trim();
      if (response.status >= 500 || response.status === 429) throw new Error(`the source answered ${status}; will retry`);
      throw new AppError("invalid_input", `The source URL answered ${status}: ${sourceLabel(source)}.`);
    }
    const length = Number(response.headers.get("content-length"));
    return {
      body: response.body,
      size: Number.isFinite(length) && length >= 0 && response.headers.has("content-length") ? length : undefined,
      contentType: response.headers.get("content-type") ?? undefined,
    };
  }
  if (source.type === "s3") {
    const prisma = await db();
    const connection = await prisma.connection.findFirst({ where: { id: source.connectionId ?? "", projectId } });
    if (!connection) throw new AppError("connection_not_found", `The connection for ${sourceLabel(source)} no longer exists.`);
    const store = createConnectionStore(connectionSettings(connection), source.bucket);
    try {
      const object = await store.get(source.key);
      return { body: object.body, size: object.size, contentType: object.contentType, close: () => store.close() };
    } catch (error) {
      store.close();
      if (isObjectNotFound(error)) throw new AppError("invalid_input", `No object at ${sourceLabel(source)} (connection ${connection.name}).`);
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status && status < 500) throw new AppError("invalid_input", `The bucket refused to read ${sourceLabel(source)}: ${(error as Error).message}`);
      throw error;
    }
  }
  throw new Error(`source ${source.type} cannot be fetched`);
}

/** A download its pace stopped fails for good (the source's fault, and a retry would hold a slot as long again). */
function paceFailure(pace: DownloadPace, source: TSource, error: unknown): unknown {
  const reason: unknown = pace.signal.reason;
  if (!pace.signal.aborted || !(reason instanceof DownloadPaceError)) return error;
  return new AppError("invalid_input", `The download of ${sourceLabel(source)} was stopped: ${reason.message}; nothing was stored.`);
}

export async function fetchToScratch(
  projectId: string,
  source: TSource,
  options: { signal: AbortSignal; onProgress?: (fraction: number) => void; name?: string },
): Promise<Scratch> {
  const pace = watchDownloadPace();
  try {
    return await download(projectId, source, { ...options, pace });
  } catch (error) {
    throw options.signal.aborted ? error : paceFailure(pace, source, error);
  } finally {
    pace.stop();
  }
}

async function download(
  projectId: string,
  source: TSource,
  options: { signal: AbortSignal; onProgress?: (fraction: number) => void; name?: string; pace: DownloadPace },
): Promise<Scratch> {
  const { pace } = options;
  const signal = AbortSignal.any([options.signal, pace.signal]);
  const max = env().MEDIABIT_MAX_FILE_BYTES;
  const opened = await openSource(projectId, source, signal);
  pace.bodyStarted();
  const tooLarge = () => new AppError("payload_too_large", `The source is larger than this server's limit of ${max} bytes (MEDIABIT_MAX_FILE_BYTES).`);
  if (opened.size !== undefined && opened.size > max) {
    opened.body.destroy();
    opened.close?.();
    throw tooLarge();
  }
  let lastReport = 0;
  const check = (length: number, size: number): Error | undefined => {
    pace.count(length);
    if (opened.size && options.onProgress && size - lastReport > opened.size / 50) {
      lastReport = size;
      options.onProgress(size / opened.size);
    }
    return undefined;
  };
  let scratch: Scratch;
  try {
    scratch = await writeScratch(opened.body, { name: options.name ?? "ingest", signal, check, tooLarge });
  } finally {
    opened.close?.();
  }
  const { size } = scratch;
  if (opened.size !== undefined && size !== opened.size) {
    await scratch.remove();
    throw new Error(`the source ended after ${size} of ${opened.size} bytes; will retry`);
  }
  return { ...scratch, contentType: opened.contentType };
}
