// The official SDKs' requests, byte for byte as sdk-wire.md §1–§5 describes them (headers, which calls carry
// Accept-Version, PHP's Content-Type on every call, string query values), sent over real HTTP to the app.
export type SdkName = "ts1" | "n08" | "php1";

export type Operation =
  | "files.list"
  | "files.create"
  | "files.get"
  | "files.update"
  | "files.delete"
  | "media.list"
  | "media.create"
  | "media.get"
  | "media.update"
  | "media.delete"
  | "tasks.list"
  | "tasks.create"
  | "tasks.get"
  | "tasks.getTaskConfig"
  | "signatures.create";

const IDENTITY: Record<SdkName, Record<string, string>> = {
  ts1: {
    "X-Fern-Language": "JavaScript",
    "X-Fern-SDK-Name": "@ittybit/sdk",
    "X-Fern-SDK-Version": "1.0.0",
    "User-Agent": "@ittybit/sdk/1.0.0",
    "X-Fern-Runtime": "node",
    "X-Fern-Runtime-Version": process.versions.node,
  },
  n08: {
    "X-Fern-Language": "JavaScript",
    "X-Fern-SDK-Name": "@ittybit/sdk",
    "X-Fern-SDK-Version": "0.8.7",
    "User-Agent": "@ittybit/sdk/0.8.7",
    "X-Fern-Runtime": "node",
    "X-Fern-Runtime-Version": process.versions.node,
  },
  php1: { "X-Fern-Language": "PHP", "X-Fern-SDK-Name": "Ittybit", "X-Fern-SDK-Version": "1.0.0", "User-Agent": "ittybit/sdk/1.0.0" },
};

// PHP1 sends the version only on the lists, the two creates, the two updates and signatures (sdk-wire §3).
const PHP_VERSIONED = new Set<Operation>(["files.list", "media.list", "tasks.list", "files.create", "media.create", "files.update", "media.update", "signatures.create"]);

/** Whether this SDK sends `Accept-Version: 2025-08-20` on this call. */
export function sendsAcceptVersion(sdk: SdkName, operation: Operation): boolean {
  if (sdk === "ts1") return true;
  if (sdk === "php1") return PHP_VERSIONED.has(operation);
  return false;
}

export type SdkResponse = { status: number; headers: Headers; text: string; body: any };

/** Thrown like IttybitError / IttybitApiException: any status outside 200–399. */
export class SdkError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`API request failed with status ${status}: ${body}`);
  }
}

const ROUTES: Record<Operation, { method: string; path: (id?: string) => string }> = {
  "files.list": { method: "GET", path: () => "/files" },
  "files.create": { method: "POST", path: () => "/files" },
  "files.get": { method: "GET", path: (id) => `/files/${id}` },
  "files.update": { method: "PATCH", path: (id) => `/files/${id}` },
  "files.delete": { method: "DELETE", path: (id) => `/files/${id}` },
  "media.list": { method: "GET", path: () => "/media" },
  "media.create": { method: "POST", path: () => "/media" },
  "media.get": { method: "GET", path: (id) => `/media/${id}` },
  "media.update": { method: "PATCH", path: (id) => `/media/${id}` },
  "media.delete": { method: "DELETE", path: (id) => `/media/${id}` },
  "tasks.list": { method: "GET", path: () => "/tasks" },
  "tasks.create": { method: "POST", path: () => "/tasks" },
  "tasks.get": { method: "GET", path: (id) => `/tasks/${id}` },
  "tasks.getTaskConfig": { method: "GET", path: () => "/tasks-config" },
  "signatures.create": { method: "POST", path: () => "/signatures" },
};

export type SdkClient = {
  sdk: SdkName;
  /** Every request's headers as sent, for assertions about the wire itself. */
  sent: { operation: Operation; method: string; url: string; headers: Record<string, string> }[];
  send: (operation: Operation, args?: { id?: string; body?: unknown; query?: { page?: number; limit?: number } }) => Promise<SdkResponse>;
};

/** A client that talks like `sdk` to `baseUrl` (the app's `/api`), with `apiKey`. */
export function sdkClient(sdk: SdkName, baseUrl: string, apiKey: string): SdkClient {
  const sent: SdkClient["sent"] = [];
  return {
    sdk,
    sent,
    async send(operation, args = {}) {
      const route = ROUTES[operation];
      // JS SDKs percent-encode the id; PHP puts it in as-is.
      const id = args.id === undefined ? undefined : sdk === "php1" ? args.id : encodeURIComponent(args.id);
      const url = new URL(`${baseUrl}${route.path(id)}`);
      for (const [name, value] of Object.entries(args.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
      const headers: Record<string, string> = { Authorization: `Bearer ${apiKey}`, ...IDENTITY[sdk] };
      if (sendsAcceptVersion(sdk, operation)) headers["Accept-Version"] = "2025-08-20";
      // Optional fields left unset are dropped, never sent as null (sdk-wire §1).
      const body = args.body === undefined ? undefined : JSON.stringify(args.body, (_k, v: unknown) => (v === undefined ? undefined : v));
      if (body !== undefined || sdk === "php1") headers["Content-Type"] = "application/json";
      sent.push({ operation, method: route.method, url: url.href, headers });
      const response = await fetch(url, { method: route.method, headers, body });
      const text = await response.text();
      if (response.status < 200 || response.status > 399) throw new SdkError(response.status, text);
      // PHP1 decodes every success body and fails on an empty one; the JS SDKs resolve to undefined.
      let parsed: unknown;
      if (text === "") {
        if (sdk === "php1") throw new Error(`PHP1 cannot decode an empty success body (${route.method} ${url.pathname})`);
        parsed = undefined;
      } else parsed = JSON.parse(text);
      return { status: response.status, headers: response.headers, text, body: parsed };
    },
  };
}

// ---- Shapes (sdk-wire §6): what PHP1 demands of 1.0.0 bodies, what N08 reads from envelopes. ----

type FieldType = "string" | "int" | "number" | "bool" | "object" | "array" | "iso" | readonly string[];
type Shape = { required: Record<string, FieldType>; optional?: Record<string, FieldType> };

/** ISO-8601 with a zone, as PHP1's DateTime parser and the examples (`2025-01-01T01:23:45Z`) use. */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

function typeProblem(value: unknown, type: FieldType): string | null {
  if (Array.isArray(type)) return typeof value === "string" && type.includes(value) ? null : `expected one of ${type.join("|")}, got ${JSON.stringify(value)}`;
  switch (type) {
    case "string":
      return typeof value === "string" ? null : `expected string, got ${JSON.stringify(value)}`;
    case "int":
      return Number.isInteger(value) ? null : `expected int, got ${JSON.stringify(value)}`;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : `expected number, got ${JSON.stringify(value)}`;
    case "bool":
      return typeof value === "boolean" ? null : `expected bool, got ${JSON.stringify(value)}`;
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value) ? null : `expected object, got ${JSON.stringify(value)}`;
    case "array":
      return Array.isArray(value) ? null : `expected array, got ${JSON.stringify(value)}`;
    case "iso":
      return typeof value === "string" && ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value)) ? null : `expected ISO timestamp string, got ${JSON.stringify(value)}`;
  }
  return `unknown type`;
}

/** Problems PHP1 would throw on: a required field missing/null or mistyped; an optional field present with the wrong type. */
export function shapeProblems(value: unknown, shape: Shape, where = "$"): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${where}: expected an object, got ${JSON.stringify(value)}`];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, type] of Object.entries(shape.required)) {
    if (!(field in record) || record[field] === null || record[field] === undefined) problems.push(`${where}.${field}: required but missing`);
    else {
      const problem = typeProblem(record[field], type);
      if (problem) problems.push(`${where}.${field}: ${problem}`);
    }
  }
  for (const [field, type] of Object.entries(shape.optional ?? {})) {
    if (record[field] === undefined || record[field] === null) continue;
    const problem = typeProblem(record[field], type);
    if (problem) problems.push(`${where}.${field}: ${problem}`);
  }
  return problems;
}

const FILE_STATUS = ["waiting", "processing", "ready", "failed"] as const;
const FILE_OBJECT = ["source", "track", "intelligence"] as const;
const MEDIA_KIND = ["video", "image", "audio"] as const;
const TASK_KIND = ["ingest", "video", "image", "audio", "chapters", "subtitles", "thumbnails", "nsfw", "speech", "description", "outline", "prompt", "workflow", "conditions", "http"] as const;
const TASK_STATUS = ["pending", "waiting", "processing", "ready", "completed", "failed", "error", "cancelled"] as const;

const FILE_OPTIONAL: Record<string, FieldType> = {
  codec: "string",
  container: "string",
  width: "int",
  height: "int",
  orientation: "string",
  rotation: "number",
  transparency: "bool",
  animated: "bool",
  frames: "int",
  duration: "number",
  fps: "number",
  bitrate: "int",
  language: "string",
  label: "string",
  ref: "string",
  folder: "string",
  filename: "string",
  placeholder: "string",
  background: "string",
  metadata: "object",
  original: "bool",
  created_by: "string",
};

export const FILE_SHAPE: Shape = {
  required: { id: "string", media_id: "string", object: FILE_OBJECT, kind: MEDIA_KIND, type: "string", filesize: "int", url: "string", created: "iso", updated: "iso", status: FILE_STATUS },
  optional: FILE_OPTIONAL,
};

export const MEDIA_FILE_SHAPE: Shape = {
  required: { id: "string", object: FILE_OBJECT, kind: MEDIA_KIND, type: "string", filesize: "int", url: "string", created: "iso", updated: "iso", status: FILE_STATUS },
  optional: { ...FILE_OPTIONAL, orientation: ["landscape", "portrait", "square"] },
};

export const MEDIA_SHAPE: Shape = {
  required: { id: "string", object: "string", files: "array", urls: "object", created: "iso", updated: "iso" },
  optional: { kind: MEDIA_KIND, title: "string", alt: "string", width: "int", height: "int", duration: "number", background: "string", metadata: "object" },
};

export const TASK_SHAPE: Shape = {
  required: { id: "string", object: "string", kind: TASK_KIND, status: TASK_STATUS, created: "iso", updated: "iso" },
  optional: { input: "object", options: "object", output: "object", progress: "int", error: "string", created_by: "string", parent_id: "string", workflow: "array", results: "object" },
};

export const SIGNATURE_SHAPE: Shape = {
  required: { domain: "string", filename: "string", expiry: "int", method: "string", signature: "string", url: "string" },
  optional: { folder: "string" },
};

/** A media item as PHP1 reads it: its own fields, each file, and `urls` as a map of strings. */
export function mediaProblems(media: unknown): string[] {
  const problems = shapeProblems(media, MEDIA_SHAPE);
  if (problems.length > 0) return problems;
  const record = media as { files: unknown[]; urls: Record<string, unknown> };
  record.files.forEach((file, i) => problems.push(...shapeProblems(file, MEDIA_FILE_SHAPE, `$.files[${i}]`)));
  for (const [ref, url] of Object.entries(record.urls)) if (typeof url !== "string") problems.push(`$.urls.${ref}: expected string`);
  return problems;
}
