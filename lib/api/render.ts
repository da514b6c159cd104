// Per-profile rendering shared by every resource: timestamps and the response envelope.
import type { ErrorDetail } from "@/lib/api/errors";
import type { Profile } from "@/lib/api/version";
import { redactCredentials } from "@/lib/net/redact";

/**
 * How a resource's docs write its timestamps: `b` files/media/tasks (`created`, ISO), `c` runs,
 * keys, events (`created_at`, Unix seconds in the current profile), `d` jobs (Unix ms in the
 * current profile), `c_iso` connections (`created_at`, always ISO as their docs and seed 000 show).
 */
export type TimeStyle = "b" | "c" | "d" | "c_iso";
export type Times = { created: Date; updated: Date; started?: Date | null; finished?: Date | null };

function stamp(date: Date | null | undefined, unit: "iso" | "s" | "ms"): string | number | null {
  if (!date) return null;
  if (unit === "iso") return date.toISOString();
  return unit === "s" ? Math.floor(date.getTime() / 1000) : date.getTime();
}

export function renderTimes(profile: Profile, style: TimeStyle, times: Times): Record<string, string | number | null> {
  if (style === "b") return { created: stamp(times.created, "iso"), updated: stamp(times.updated, "iso") };
  const unit = profile.name !== "current" || style === "c_iso" ? "iso" : style === "c" ? "s" : "ms";
  const out: Record<string, string | number | null> = {
    created_at: stamp(times.created, unit),
    updated_at: stamp(times.updated, unit),
  };
  if (times.started !== undefined) out.started_at = stamp(times.started, unit);
  if (times.finished !== undefined) out.finished_at = stamp(times.finished, unit);
  return out;
}

export type RequestInfo = {
  requestId: string;
  profile: Profile;
  url: URL;
  orgId?: string;
  projectId?: string;
};

export type ApiResponse = {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** What an Idempotency-Key replay answers instead of `body`: the same response without its one-time secrets. */
  replayBody?: unknown;
};

export const SHOWN_ONCE_NOTICE =
  "This response was replayed for a repeated Idempotency-Key. Its secret was shown once, in the first response, and is not stored: if it was lost, create a new key.";

function baseMeta(info: RequestInfo, type: "object" | "list" | "error"): Record<string, unknown> {
  return {
    id: info.requestId,
    request_id: info.requestId,
    org_id: info.orgId ?? null,
    project_id: info.projectId ?? null,
    version: info.profile.version,
    type,
  };
}

export type ObjectOptions = {
  status?: number;
  /** The collection path (`/api/connections`): links name the object in it and the collection. */
  collection?: string;
  /** Fields of `data` that hold a one-time secret: sent now, replaced by null (with a notice) in idempotent replays. */
  oneTime?: string[];
};

function withoutSecrets(data: unknown, fields: string[]): unknown {
  if (!data || typeof data !== "object") return data;
  const copy: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const field of fields) if (field in copy) copy[field] = null;
  copy.secret_notice = SHOWN_ONCE_NOTICE;
  return copy;
}

export function objectResponse(info: RequestInfo, data: unknown, options: ObjectOptions = {}): ApiResponse {
  if (options.oneTime?.length) {
    const { oneTime, ...rest } = options;
    const sent = objectResponse(info, data, rest);
    return { ...sent, replayBody: objectResponse(info, withoutSecrets(data, oneTime), rest).body };
  }
  const status = options.status ?? 200;
  if (info.profile.name !== "enveloped") return { status, body: data, headers: {} };
  const links: Record<string, string> = { self: info.url.href };
  if (options.collection) {
    const id = (data as { id?: unknown } | null)?.id;
    if (typeof id === "string") links.self = new URL(`${options.collection}/${id}`, info.url).href;
    links.parent = new URL(options.collection, info.url).href;
  }
  return { status, body: { meta: baseMeta(info, "object"), data, error: null, links }, headers: {} };
}

export type PageInfo = {
  limit: number;
  hasMore: boolean;
  /** Offset pages: total rows and the 1-based page shown. */
  page?: { page: number; total: number; pages: number };
  /** Cursor pages: the ids at both ends of this page. */
  cursor?: { first?: string; last?: string; hasPrevious: boolean };
};

function pageLinks(info: RequestInfo, page: PageInfo): Record<string, string | null> {
  const at = (params: Record<string, string | null>): string => {
    const url = new URL(info.url.href);
    for (const [key, value] of Object.entries(params)) {
      if (value === null) url.searchParams.delete(key);
      else url.searchParams.set(key, value);
    }
    return url.href;
  };
  if (page.page) {
    const { page: current, pages } = page.page;
    return {
      self: info.url.href,
      first: at({ page: "1" }),
      prev: current > 1 ? at({ page: String(Math.min(current - 1, Math.max(pages, 1))) }) : null,
      next: current < pages ? at({ page: String(current + 1) }) : null,
      last: at({ page: String(Math.max(pages, 1)) }),
    };
  }
  const cursor = page.cursor;
  return {
    self: info.url.href,
    first: at({ after: null, before: null }),
    prev: cursor?.hasPrevious && cursor.first ? at({ before: cursor.first, after: null }) : null,
    next: page.hasMore && cursor?.last ? at({ after: cursor.last, before: null }) : null,
  };
}

export function listResponse(info: RequestInfo, items: unknown[], page: PageInfo): ApiResponse {
  const links = pageLinks(info, page);
  const linkHeader = Object.entries(links)
    .filter(([rel, href]) => rel !== "self" && href)
    .map(([rel, href]) => `<${href}>; rel="${rel}"`)
    .join(", ");
  const headers: Record<string, string> = { "Has-More": String(page.hasMore), Limit: String(page.limit) };
  if (linkHeader) headers.Link = linkHeader;
  if (page.page) headers["X-Total-Count"] = String(page.page.total);
  if (info.profile.name !== "enveloped") return { status: 200, body: items, headers };
  const meta = { ...baseMeta(info, "list"), limit: page.limit, ...(page.page ?? {}), has_more: page.hasMore };
  return { status: 200, body: { meta, data: items, error: null, links }, headers };
}

export function messageResponse(info: RequestInfo, message: string): ApiResponse {
  return objectResponse(info, { message });
}

export function errorResponse(
  info: RequestInfo,
  error: { status: number; code: string; message: string; details?: ErrorDetail[] },
): ApiResponse {
  // Messages may quote what the caller sent: a source URL's credentials never go back out.
  const payload: Record<string, unknown> = { kind: error.code, message: redactCredentials(error.message) };
  if (error.details?.length) payload.errors = error.details.map((d) => ({ ...d, message: redactCredentials(d.message) }));
  if (info.profile.name !== "enveloped") return { status: error.status, body: payload, headers: {} };
  return {
    status: error.status,
    body: { meta: { ...baseMeta(info, "error"), status: error.status }, data: null, error: payload, links: { self: info.url.href } },
    headers: {},
  };
}
