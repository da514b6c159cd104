// Task requests: every API generation's shape of POST /tasks (tasks.md §1) — and run/job steps — parsed by one
// zod schema into one canonical task: where the bytes come from, what to do with them, where the result goes.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { parseMetadata } from "@/lib/api/metadata";
import { ZListQuery } from "@/lib/api/pagination";
import { canonicalId } from "@/lib/ids";
import { resolveKind } from "@/lib/tasks/kinds";

export const ZListTasks = ZListQuery.extend({
  kind: z.string().optional(),
  status: z.string().optional(),
  run_id: z.string().optional(),
  job_id: z.string().optional(),
  created_by: z.string().optional(),
});
export type TListTasks = z.infer<typeof ZListTasks>;

export type TSource =
  | { type: "url"; url: string }
  | { type: "s3"; bucket: string; key: string; connectionId?: string }
  | { type: "file"; fileId: string }
  | { type: "media"; mediaId: string }
  /** Run/job children: the parent task's output. */
  | { type: "parent" };

export type TDestination = { bucket: string; key: string; connectionId?: string; url: string };

export type TCanonicalTask = {
  kind: string;
  /** The kind as the caller wrote it (`import`, `upload`, `subtitle`...), echoed back. */
  requestedKind: string;
  source?: TSource;
  options: Record<string, unknown>;
  destination?: TDestination;
  ref?: string;
  folder?: string;
  filename?: string;
  metadata: Record<string, unknown>;
  webhookUrl?: string;
  mediaId?: string;
};

// Field problems are AppErrors thrown from the transforms (zod passes them through), so every profile keeps the
// field-named message and code it always had rather than zod's generic summary.
/** A string field, trimmed; absent or null is undefined, anything else but non-empty text is a 400 naming the field. */
export function fieldText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !value.trim()) throw new AppError("request_invalid", `${field}: expected a non-empty string.`, [{ field, message: "expected string" }]);
  return value.trim();
}
const ZText = (field: string) => z.unknown().transform((value) => fieldText(value, field)).optional();

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function parseS3Url(url: string, field: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match?.[1] || !match[2]) {
    throw new AppError("invalid_input", `${field}: an s3:// URL must name a bucket and a key, like s3://my-bucket/path/video.mp4.`, [{ field, message: "invalid s3 URL" }]);
  }
  return { bucket: match[1], key: decodeURIComponent(match[2]) };
}

/** A source named by a URL (http, https, s3://) or by an id (`file_…`, `med_…`). */
export function parseSourceUrl(url: string, field: string, connectionId?: string): TSource {
  if (url.startsWith("s3://")) return { type: "s3", ...parseS3Url(url, field), connectionId };
  if (/^file_/.test(url)) return { type: "file", fileId: url };
  if (/^med_/.test(url)) return { type: "media", mediaId: url };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError("invalid_input", `${field}: '${url}' is not a URL. Inputs must use http://, https:// or s3://.`, [{ field, message: "invalid URL" }]);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new AppError("invalid_input", `${field}: input must use http://, https://, or s3:// scheme (got ${parsed.protocol}).`, [{ field, message: "unsupported scheme" }]);
  }
  return { type: "url", url: parsed.href };
}

/** An s3://bucket/key destination. */
export function parseDestination(url: string, field: string, connectionId?: string): TDestination {
  if (!url.startsWith("s3://")) {
    throw new AppError("invalid_input", `${field}: outputs go to s3://bucket/key destinations (got '${url}').`, [{ field, message: "expected s3:// URL" }]);
  }
  return { ...parseS3Url(url, field), connectionId, url };
}

// `input`: a URL or id string (D generation), or `{url, connection_id}` / `{file_id | id}` (C generation).
const ZInput = z.unknown().transform((input) => {
  if (input === undefined || input === null) return undefined;
  if (typeof input === "string") return { url: input.trim() || undefined, id: undefined, connectionId: undefined, field: "input" };
  if (!isObject(input)) throw new AppError("request_invalid", "input: expected a URL string or an object with `url`.", [{ field: "input", message: "invalid input" }]);
  return {
    url: fieldText(input.url, "input.url"),
    id: fieldText(input.file_id, "input.file_id") ?? fieldText(input.id, "input.id"),
    connectionId: fieldText(input.connection_id, "input.connection_id"),
    field: "input.url",
  };
}).optional();

const ZOptionsObject = z.unknown().transform((options) => {
  if (options !== undefined && !isObject(options)) throw new AppError("request_invalid", "options: expected an object.", [{ field: "options", message: "expected object" }]);
  return options;
}).optional();

// Fields of the request itself; every other top-level key is a flat option (B generation).
const ZEnvelope = z.looseObject({
  options: ZOptionsObject,
  input: ZInput,
  url: ZText("url"),
  file_id: ZText("file_id"),
  media_id: ZText("media_id"),
  destination: ZText("destination"),
  connection_id: ZText("connection_id"),
  ref: ZText("ref"),
  folder: ZText("folder"),
  filename: ZText("filename"),
  webhook_url: ZText("webhook_url"),
  // Kind, output (a URL, or the A generation's `{kind, ...options}` object) and metadata are read below.
  kind: z.unknown().optional(),
  output: z.unknown().optional(),
  metadata: z.unknown().optional(),
  description: z.unknown().optional(),
  label: z.unknown().optional(),
  async: z.unknown().optional(),
  next: z.unknown().optional(),
  workflow: z.unknown().optional(),
});
const ENVELOPE_FIELDS = new Set(Object.keys(ZEnvelope.shape));
// Options that say where things are, not how to process them.
const ROUTING_OPTIONS = new Set(["url", "connection_id", "input_connection_id", "output_connection_id", "bucket", "key", "output", "ref", "folder", "filename", "metadata"]);

/** One task request, any generation → the canonical task; a bad field throws a 400 that names it. */
export const ZTaskRequest = z
  .record(z.string(), z.unknown())
  .transform((body): TCanonicalTask => {
    // Kind first: an unknown or unavailable kind is the error a caller needs before any other.
    const aOutput = isObject(body.output) ? body.output : undefined;
    const { kind: requestedKind, canonical: kind } = resolveKind(body.kind ?? aOutput?.kind);
    const fields = ZEnvelope.parse(body);

    // Options: the A generation's output object, then `options`, then flat top-level keys, later ones winning.
    const given: Record<string, unknown> = { ...(aOutput ?? {}), ...(fields.options ?? {}) };
    delete given.kind;
    for (const [key, value] of Object.entries(body)) if (!ENVELOPE_FIELDS.has(key)) given[key] = value;
    const option = (key: string) => fieldText(given[key], `options.${key}`);

    const inputConnection = option("input_connection_id") ?? fields.connection_id ?? option("connection_id");
    const outputConnection = option("output_connection_id") ?? fields.connection_id ?? option("connection_id");

    // Precedence: input > url > file_id > media_id (> an ingest's url or bucket/key options).
    let source: TSource | undefined;
    const input = fields.input;
    if (input?.url) source = parseSourceUrl(input.url, input.field, input.connectionId ?? inputConnection);
    else if (input?.id) source = parseSourceUrl(input.id, "input.id");
    else if (input?.field === "input") source = parseSourceUrl("", "input", inputConnection);
    source ??= body.url !== undefined ? parseSourceUrl(fields.url ?? "", "url", inputConnection) : undefined;
    if (!source && body.file_id !== undefined) source = { type: "file", fileId: canonicalId(fields.file_id ?? "") };
    if (!source && body.media_id !== undefined && kind !== "ingest") source = { type: "media", mediaId: fields.media_id ?? "" };

    // Run-style ingest and export options: { url } or { connection_id, bucket, key }.
    const bucket = option("bucket");
    const objectKey = option("key");
    if (!source && kind === "ingest") {
      const optionUrl = option("url");
      if (optionUrl) source = parseSourceUrl(optionUrl, "options.url", inputConnection);
      else if (bucket && objectKey) source = { type: "s3", bucket, key: objectKey, connectionId: inputConnection };
    }

    let destination: TDestination | undefined;
    const outputUrl = typeof body.output === "string" ? fieldText(body.output, "output") : undefined;
    const destinationUrl = fields.destination ?? outputUrl ?? (typeof given.output === "string" ? option("output") : undefined);
    if (destinationUrl) destination = parseDestination(destinationUrl, fields.destination ? "destination" : "output", outputConnection);
    else if (kind === "export") {
      const exportUrl = option("url");
      if (exportUrl) destination = parseDestination(exportUrl, "options.url", outputConnection);
      else if (bucket && objectKey) destination = { bucket, key: objectKey, connectionId: outputConnection, url: `s3://${bucket}/${objectKey}` };
    }

    const rawMetadata = body.metadata ?? given.metadata;
    const metadata = rawMetadata === undefined ? {} : parseMetadata(rawMetadata, body.metadata !== undefined ? "metadata" : "options.metadata");

    return {
      kind,
      requestedKind,
      source,
      options: Object.fromEntries(Object.entries(given).filter(([key]) => !ROUTING_OPTIONS.has(key))),
      destination,
      ref: fields.ref ?? option("ref"),
      folder: fields.folder ?? option("folder"),
      filename: fields.filename ?? option("filename"),
      metadata,
      webhookUrl: fields.webhook_url,
      mediaId: kind === "ingest" ? fields.media_id : undefined,
    };
  });

/** Parses one task request outside a route (run and job steps); throws the same field-named errors. */
export function parseTaskRequest(body: Record<string, unknown>): TCanonicalTask {
  return ZTaskRequest.parse(body);
}
