// The four request shapes of POST /tasks (tasks.md §1) — and run/job steps — become one canonical
// task: where the bytes come from, what to do with them, and where the result goes.
import { AppError } from "@/lib/api/errors";
import { parseMetadata } from "@/lib/api/metadata";
import { canonicalId } from "@/lib/ids";
import { resolveKind } from "@/lib/tasks/kinds";

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

// Fields of the request itself; every other top-level key is a flat option (B style).
const ENVELOPE_FIELDS = new Set([
  "kind",
  "url",
  "file_id",
  "media_id",
  "input",
  "output",
  "options",
  "destination",
  "connection_id",
  "ref",
  "folder",
  "filename",
  "metadata",
  "webhook_url",
  "description",
  "label",
  "async",
  "next",
  "workflow",
]);
// Options that say where things are, not how to process them.
const ROUTING_OPTIONS = ["url", "connection_id", "input_connection_id", "output_connection_id", "bucket", "key", "output", "ref", "folder", "filename", "metadata"];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function str(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !value.trim()) throw new AppError("request_invalid", `${field}: expected a non-empty string.`, [{ field, message: "expected string" }]);
  return value.trim();
}

export function parseS3Url(url: string, field: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match?.[1] || !match[2]) {
    throw new AppError("invalid_input", `${field}: an s3:// URL must name a bucket and a key, like s3://my-bucket/path/video.mp4.`, [{ field, message: "invalid s3 URL" }]);
  }
  return { bucket: match[1], key: decodeURIComponent(match[2]) };
}

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

function destinationFrom(url: string, field: string, connectionId?: string): TDestination {
  if (!url.startsWith("s3://")) {
    throw new AppError("invalid_input", `${field}: outputs go to s3://bucket/key destinations (got '${url}').`, [{ field, message: "expected s3:// URL" }]);
  }
  return { ...parseS3Url(url, field), connectionId, url };
}

/** Canonical form of one task request; throws a 400 that names the field for anything unusable. */
export function normalizeTaskRequest(body: Record<string, unknown>): TCanonicalTask {
  // A generation: `output` is an object carrying the kind and its options.
  const aOutput = isObject(body.output) ? body.output : undefined;
  const { kind: requestedKind, canonical: kind } = resolveKind(body.kind ?? aOutput?.kind);

  if (body.options !== undefined && !isObject(body.options)) {
    throw new AppError("request_invalid", "options: expected an object.", [{ field: "options", message: "expected object" }]);
  }
  const given = { ...(aOutput ?? {}), ...((body.options as Record<string, unknown> | undefined) ?? {}) };
  delete given.kind;
  for (const [key, value] of Object.entries(body)) if (!ENVELOPE_FIELDS.has(key)) given[key] = value;

  const inputConnection = str(given.input_connection_id, "options.input_connection_id") ?? str(body.connection_id, "connection_id") ?? str(given.connection_id, "options.connection_id");
  const outputConnection = str(given.output_connection_id, "options.output_connection_id") ?? str(body.connection_id, "connection_id") ?? str(given.connection_id, "options.connection_id");

  let source: TSource | undefined;
  const input = body.input;
  if (typeof input === "string") source = parseSourceUrl(input.trim(), "input", inputConnection);
  else if (isObject(input)) {
    const url = str(input.url, "input.url");
    const id = str(input.file_id, "input.file_id") ?? str(input.id, "input.id");
    if (url) source = parseSourceUrl(url, "input.url", str(input.connection_id, "input.connection_id") ?? inputConnection);
    else if (id) source = parseSourceUrl(id, "input.id");
  } else if (input !== undefined && input !== null) {
    throw new AppError("request_invalid", "input: expected a URL string or an object with `url`.", [{ field: "input", message: "invalid input" }]);
  }
  source ??= body.url !== undefined ? parseSourceUrl(str(body.url, "url") ?? "", "url", inputConnection) : undefined;
  if (!source && body.file_id !== undefined) source = { type: "file", fileId: canonicalId(str(body.file_id, "file_id") ?? "") };
  if (!source && body.media_id !== undefined && kind !== "ingest") source = { type: "media", mediaId: str(body.media_id, "media_id") ?? "" };

  // Run-style ingest options: { url } or { connection_id, bucket, key }.
  const bucket = str(given.bucket, "options.bucket");
  const objectKey = str(given.key, "options.key");
  if (!source && kind === "ingest") {
    const optionUrl = str(given.url, "options.url");
    if (optionUrl) source = parseSourceUrl(optionUrl, "options.url", inputConnection);
    else if (bucket && objectKey) source = { type: "s3", bucket, key: objectKey, connectionId: inputConnection };
  }

  let destination: TDestination | undefined;
  const outputUrl = typeof body.output === "string" ? str(body.output, "output") : undefined;
  const destinationUrl = str(body.destination, "destination") ?? outputUrl ?? (typeof given.output === "string" ? str(given.output, "options.output") : undefined);
  if (destinationUrl) destination = destinationFrom(destinationUrl, body.destination ? "destination" : "output", outputConnection);
  else if (kind === "export") {
    const exportUrl = str(given.url, "options.url");
    if (exportUrl) destination = destinationFrom(exportUrl, "options.url", outputConnection);
    else if (bucket && objectKey) destination = { bucket, key: objectKey, connectionId: outputConnection, url: `s3://${bucket}/${objectKey}` };
  }

  const rawMetadata = body.metadata ?? given.metadata;
  const metadata = rawMetadata === undefined ? undefined : parseMetadata(rawMetadata, body.metadata !== undefined ? "metadata" : "options.metadata");

  const options = Object.fromEntries(Object.entries(given).filter(([key]) => !ROUTING_OPTIONS.includes(key)));
  return {
    kind,
    requestedKind,
    source,
    options,
    destination,
    ref: str(body.ref, "ref") ?? str(given.ref, "options.ref"),
    folder: str(body.folder, "folder") ?? str(given.folder, "options.folder"),
    filename: str(body.filename, "filename") ?? str(given.filename, "options.filename"),
    metadata: metadata ?? {},
    webhookUrl: str(body.webhook_url, "webhook_url"),
    mediaId: kind === "ingest" ? str(body.media_id, "media_id") : undefined,
  };
}
