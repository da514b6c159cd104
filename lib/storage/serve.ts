// HTTP delivery of a stored object: GET/HEAD, one byte range, validators and 304s, streamed body.
import { AppError } from "@/lib/api/errors";
import { toWebStream } from "./streams";
import type { ByteRange, Store } from "./store-types";

export type ServeObjectOptions = {
  store: Pick<Store, "get">;
  key: string;
  contentType: string;
  /** Quoted or bare; a bare value is quoted. */
  etag?: string;
  lastModified?: Date;
  size: number;
  cacheControl: string;
  /** Serve as an attachment with this file name. */
  download?: string;
};

type RangeDecision = { kind: "full" } | { kind: "partial"; range: ByteRange } | { kind: "unsatisfiable" };

const ENTITY_TAG = /(?:W\/)?"[^"]*"|\*/g;

function quoteEtag(etag: string): string {
  return etag.startsWith('"') || etag.startsWith('W/"') ? etag : `"${etag}"`;
}

function isWeak(tag: string): boolean {
  return tag.startsWith("W/");
}

function opaque(tag: string): string {
  return isWeak(tag) ? tag.slice(2) : tag;
}

function listedTags(header: string): string[] {
  return header.match(ENTITY_TAG) ?? [];
}

/** HTTP dates have whole seconds: compare at that precision or every 304 check would fail. */
function toSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function parseHttpDate(value: string | null): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/**
 * One `bytes=` range resolved against `size` (RFC 9110 §14.1). Anything we do not honour — another unit, a syntax
 * error, several ranges — is ignored and the whole body is sent, which the RFC allows.
 */
export function decideRange(header: string | null, size: number): RangeDecision {
  if (!header) return { kind: "full" };
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return { kind: "full" };
  const specs = (match[1] ?? "").split(",").map((spec) => spec.trim()).filter((spec) => spec !== "");
  if (specs.length !== 1) return { kind: "full" };
  const spec = specs[0] ?? "";
  const bounded = /^(\d+)-(\d*)$/.exec(spec);
  if (bounded) {
    const start = Number(bounded[1]);
    const end = bounded[2] ? Number(bounded[2]) : size - 1;
    if (bounded[2] && end < start) return { kind: "full" };
    if (start >= size) return { kind: "unsatisfiable" };
    return { kind: "partial", range: { start, end: Math.min(end, size - 1) } };
  }
  const suffix = /^-(\d+)$/.exec(spec);
  if (suffix) {
    const length = Number(suffix[1]);
    if (length === 0) return { kind: "unsatisfiable" };
    // A suffix of an empty object is the (empty) whole.
    if (size === 0) return { kind: "full" };
    return { kind: "partial", range: { start: Math.max(0, size - length), end: size - 1 } };
  }
  return { kind: "full" };
}

/** RFC 6266 form: an ASCII fallback plus the exact UTF-8 name. */
function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_") || "download";
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Answers GET or HEAD for one stored object. HEAD answers from the metadata passed in without touching the store;
 * GET streams from the store, so memory stays flat whatever the size.
 */
export async function serveObject(request: Request, options: ServeObjectOptions): Promise<Response> {
  const { store, key, contentType, size, cacheControl, download } = options;
  const method = request.method.toUpperCase();
  const headers = new Headers({
    "Accept-Ranges": "bytes",
    "Cache-Control": cacheControl,
    "X-Content-Type-Options": "nosniff",
  });
  if (method !== "GET" && method !== "HEAD") {
    headers.set("Allow", "GET, HEAD");
    return new Response(null, { status: 405, headers });
  }

  const etag = options.etag ? quoteEtag(options.etag) : undefined;
  const modified = options.lastModified ? toSeconds(options.lastModified) : undefined;
  if (etag) headers.set("ETag", etag);
  if (options.lastModified) headers.set("Last-Modified", options.lastModified.toUTCString());
  if (download !== undefined) headers.set("Content-Disposition", contentDisposition(download));

  // Preconditions in RFC 9110 §13.2.2 order.
  const ifMatch = request.headers.get("if-match");
  if (ifMatch !== null) {
    const tags = listedTags(ifMatch);
    const passes = tags.includes("*") || (etag !== undefined && !isWeak(etag) && tags.some((tag) => !isWeak(tag) && tag === etag));
    if (!passes) return new Response(null, { status: 412, headers });
  } else {
    const since = parseHttpDate(request.headers.get("if-unmodified-since"));
    if (since !== null && modified !== undefined && modified > since) return new Response(null, { status: 412, headers });
  }
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    const tags = listedTags(ifNoneMatch);
    if (tags.includes("*") || (etag !== undefined && tags.some((tag) => opaque(tag) === opaque(etag)))) {
      return new Response(null, { status: 304, headers });
    }
  } else {
    const since = parseHttpDate(request.headers.get("if-modified-since"));
    if (since !== null && modified !== undefined && modified <= since) return new Response(null, { status: 304, headers });
  }

  let decision = decideRange(request.headers.get("range"), size);
  const ifRange = request.headers.get("if-range");
  if (decision.kind !== "full" && ifRange !== null && !ifRangeHolds(ifRange, etag, modified)) decision = { kind: "full" };

  if (decision.kind === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${size}`);
    headers.set("Content-Length", "0");
    return new Response(null, { status: 416, headers });
  }
  headers.set("Content-Type", contentType);
  const range = decision.kind === "partial" ? decision.range : undefined;
  if (range) headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
  headers.set("Content-Length", String(range ? range.end - range.start + 1 : size));
  const status = range ? 206 : 200;
  if (method === "HEAD") return new Response(null, { status, headers });

  const object = await store.get(key, range);
  if (object.size !== size) {
    object.body.destroy();
    throw new AppError("internal_error", `Stored object '${key}' has ${object.size} bytes, its record says ${size}.`);
  }
  return new Response(toWebStream(object.body), { status, headers });
}

/** If-Range needs a strong match: an entity tag equal to ours, or exactly our Last-Modified. */
function ifRangeHolds(value: string, etag: string | undefined, modified: number | undefined): boolean {
  const trimmed = value.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith("W/")) return etag !== undefined && !isWeak(trimmed) && !isWeak(etag) && trimmed === etag;
  const date = parseHttpDate(trimmed);
  return date !== null && modified !== undefined && date === modified;
}
