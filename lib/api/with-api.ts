// The one wrapper every public API route uses: request id, auth, version profile, idempotency,
// body/query parsing with zod, and rendering of results and errors in the caller's profile.
import { ZodError, type ZodType } from "zod";
import { AppError, type ErrorDetail } from "@/lib/api/errors";
import { claimIdempotencyKey, completeIdempotencyKey, fingerprintRequest, releaseIdempotencyKey } from "@/lib/api/idempotency";
import {
  errorResponse,
  listResponse,
  messageResponse,
  objectResponse,
  type ApiResponse,
  type ObjectOptions,
  type PageInfo,
  type RequestInfo,
} from "@/lib/api/render";
import { resolveProfile, resolveProfileLeniently, type Profile } from "@/lib/api/version";
import { Prisma } from "@/lib/db/generated/client";
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/db/unavailable";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { authenticateKey, type AuthenticatedKey, type ProjectScope } from "@/lib/keys/keys";
import { requestOrigin } from "@/lib/net/client-address";

type RouteParams = { params: Promise<Record<string, string | string[] | undefined>> };

export type ApiContext<TBody, TQuery> = {
  request: Request;
  info: RequestInfo;
  profile: Profile;
  auth: AuthenticatedKey;
  scope: ProjectScope;
  params: Record<string, string>;
  /** The `[id]` path segment, for routes that have one. */
  id: string;
  body: TBody;
  query: TQuery;
  object: (data: unknown, options?: ObjectOptions) => ApiResponse;
  list: (items: unknown[], page: PageInfo) => ApiResponse;
  message: (text: string) => ApiResponse;
};

type Options<TBody, TQuery> = {
  body?: ZodType<TBody>;
  query?: ZodType<TQuery>;
  /** Organisation-level endpoints (projects) need a key created with `admin: true`. */
  admin?: boolean;
  /** Permission checks that depend on the parsed input: run before an idempotent replay, so a replay never bypasses them. */
  authorize?: (ctx: ApiContext<TBody, TQuery>) => void;
};

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/** The request's URL at the origin the caller reached (requestOrigin: MEDIABIT_PUBLIC_URL, else Host). */
export function publicUrl(request: Request): URL {
  const url = new URL(request.url);
  return new URL(url.pathname + url.search, requestOrigin(request.headers));
}

// Deeper JSON than any request needs; deeper values would overflow recursive code (zod, JSON.stringify) into a 500.
const MAX_JSON_DEPTH = 32;

/** PostgreSQL refuses NUL in text, so a NUL anywhere would otherwise surface as a 500. */
export function hasNul(value: string): boolean {
  return value.includes("\u0000");
}

/** One iterative walk (no recursion to overflow): nesting depth and NUL characters in keys and strings. */
function checkJsonValue(root: unknown): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: root, depth: 0, path: "" }];
  while (stack.length) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value === "string") {
      if (hasNul(value)) throw new AppError("request_invalid", `${path || "body"}: text may not contain NUL (\\u0000) characters.`, [{ field: path || "body", message: "contains a NUL character" }]);
      continue;
    }
    if (!value || typeof value !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw new AppError("request_invalid", `Request body is nested deeper than ${MAX_JSON_DEPTH} levels.`, [{ field: path || "body", message: "nested too deeply" }]);
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (hasNul(key)) throw new AppError("request_invalid", "Field names may not contain NUL (\\u0000) characters.", [{ field: path || "body", message: "a field name contains a NUL character" }]);
      stack.push({ value: child, depth: depth + 1, path: childPath });
    }
  }
}

async function readBody(request: Request): Promise<string> {
  const limit = env().MEDIABIT_MAX_JSON_BYTES;
  const tooLarge = () => new AppError("payload_too_large", `Request body is larger than ${limit} bytes.`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(raw: string): unknown {
  if (!raw.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new AppError("request_invalid", `Request body is not valid JSON: ${(error as Error).message}.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AppError("request_invalid", "Request body must be a JSON object.");
  }
  checkJsonValue(value);
  return value;
}

function zodDetails(error: ZodError, where: "body" | "query"): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: base ? `${base}.${key}` : key, message: "unknown field" }));
    }
    return [{ field: base || where, message: issue.message }];
  });
}

function validationError(error: ZodError, where: "body" | "query"): AppError {
  const details = zodDetails(error, where);
  const summary = details.map((d) => `${d.field}: ${d.message}`).join("; ");
  return new AppError("request_invalid", `Invalid ${where === "body" ? "request body" : "query parameters"}. ${summary}.`, details);
}

function toAppError(error: unknown, requestId: string): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) {
    console.error(`[${requestId}] database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return new AppError("service_unavailable", "The service is briefly unavailable (its database cannot be reached). Retry in a few seconds.");
  }
  if (error instanceof ZodError) return validationError(error, "body");
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") return new AppError("conflict", "An object with these unique values already exists.");
    if (error.code === "P2025") return new AppError("not_found", "The object was not found (it may have just been deleted).");
  }
  console.error(`[${requestId}] unexpected error`, error);
  return new AppError("internal_error", `Something went wrong on our side. Quote request id ${requestId} when reporting it.`);
}

const bigintAsNumber = (_key: string, value: unknown) => (typeof value === "bigint" ? Number(value) : value);

/** JSON with BigInts as numbers; the replacer (slow on every value) only for the rare body that holds one. */
function stringifyBody(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    if (error instanceof TypeError && /bigint/i.test(error.message)) return JSON.stringify(body, bigintAsNumber);
    throw error;
  }
}

// Next.js compresses a route's body without knowing its length (it drops Content-Length), so the compression
// threshold (1 KiB) never applies: gzip per small answer costs more CPU and thread-pool hops than it saves bytes.
const COMPRESSION_THRESHOLD_BYTES = 1024;

export function toResponse(info: RequestInfo, response: ApiResponse): Response {
  const text = stringifyBody(response.body === undefined ? null : response.body);
  return new Response(text, {
    status: response.status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": text.length < COMPRESSION_THRESHOLD_BYTES ? "no-store, no-transform" : "no-store",
      "Ittybit-Version": info.profile.version,
      "X-Request-Id": info.requestId,
      ...response.headers,
    },
  });
}

function flatParams(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join("/") : value;
  }
  // No stored id contains NUL (`%00` in the path): such an id names nothing.
  if (Object.values(out).some(hasNul)) throw new AppError("not_found", "No object with this id in this project.");
  return out;
}

function queryObject(url: URL): Record<string, string> {
  const query = Object.fromEntries(url.searchParams);
  for (const [name, value] of Object.entries(query)) {
    if (hasNul(name) || hasNul(value)) {
      throw new AppError("request_invalid", `Query parameter ${JSON.stringify(name.replaceAll("\u0000", ""))} may not contain NUL (%00) characters.`, [
        { field: name.replaceAll("\u0000", ""), message: "contains a NUL character" },
      ]);
    }
  }
  return query;
}

export function newRequestId(): string {
  return newId("req", 20);
}

/** Renders an error for requests that never reached a handler (unknown routes, 405s). */
export function respondWithError(request: Request, error: AppError): Response {
  const info: RequestInfo = { requestId: newRequestId(), profile: resolveProfileLeniently(request.headers), url: publicUrl(request) };
  return toResponse(info, errorResponse(info, error));
}

const API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type ApiMethod = (typeof API_METHODS)[number];
type NotAllowedHandler = ((request: Request) => Response) & { methodNotAllowed: true };

/**
 * Handlers for the methods a route does not implement: a 405 in the caller's error shape with an `Allow` header.
 * Next.js answers them with an empty body otherwise, which SDKs cannot parse. Use:
 * `export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");`
 */
export function methodsNotAllowed<A extends ApiMethod>(...allowed: A[]): Record<Exclude<ApiMethod, A>, NotAllowedHandler> {
  const allow = [...allowed, ...(allowed.includes("GET" as A) ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const handler = Object.assign(
    (request: Request) => {
      const { pathname } = new URL(request.url);
      const error = new AppError("method_not_allowed", `${request.method} is not supported on ${pathname}; it accepts ${allowed.join(", ")}.`);
      const response = respondWithError(request, error);
      response.headers.set("allow", allow);
      return response;
    },
    { methodNotAllowed: true as const },
  );
  const missing = API_METHODS.filter((method) => !allowed.includes(method as A));
  return Object.fromEntries(missing.map((method) => [method, handler])) as Record<Exclude<ApiMethod, A>, NotAllowedHandler>;
}

export function withApi<TBody = undefined, TQuery = undefined>(
  handler: (ctx: ApiContext<TBody, TQuery>) => Promise<ApiResponse>,
  options: Options<TBody, TQuery> = {},
): (request: Request, route: RouteParams) => Promise<Response> {
  return async (request, route) => {
    const info: RequestInfo = { requestId: newRequestId(), profile: resolveProfileLeniently(request.headers), url: publicUrl(request) };
    let idempotency: { owner: { projectId: string; apiKeyId: string }; key: string } | undefined;
    try {
      const auth = await authenticateKey(request.headers.get("authorization"));
      info.orgId = auth.orgId;
      info.projectId = auth.projectId;
      info.profile = resolveProfile(request.headers, auth.apiVersion);
      if (options.admin && !auth.admin) {
        throw new AppError("admin_required", "This endpoint manages the organisation: use an API key created with `admin: true`.");
      }
      const raw = BODY_METHODS.has(request.method) ? await readBody(request) : "";
      const json = BODY_METHODS.has(request.method) ? parseJson(raw) : undefined;

      let body = undefined as TBody;
      if (options.body) {
        const parsed = options.body.safeParse(json);
        if (!parsed.success) throw validationError(parsed.error, "body");
        body = parsed.data;
      }
      let query = undefined as TQuery;
      if (options.query) {
        const parsed = options.query.safeParse(queryObject(info.url));
        if (!parsed.success) throw validationError(parsed.error, "query");
        query = parsed.data;
      }
      const params = flatParams((await route?.params) ?? {});
      const ctx: ApiContext<TBody, TQuery> = {
        request,
        info,
        profile: info.profile,
        auth,
        scope: { projectId: auth.projectId, orgId: auth.orgId },
        params,
        id: params.id ?? "",
        body,
        query,
        object: (data, opts) => objectResponse(info, data, opts),
        list: (items, page) => listResponse(info, items, page),
        message: (text) => messageResponse(info, text),
      };
      options.authorize?.(ctx);

      // Input is checked and the caller authorised before a replay: a replay answers only the key that made the request.
      const idempotencyKey = request.method === "POST" ? request.headers.get("idempotency-key") : null;
      if (idempotencyKey !== null) {
        const owner = { projectId: auth.projectId, apiKeyId: auth.keyId };
        const fingerprint = fingerprintRequest(request.method, info.url.pathname + info.url.search, raw);
        const claim = await claimIdempotencyKey(owner, idempotencyKey, fingerprint, info.url.origin);
        if (claim.kind === "replay") return toResponse(info, claim.response);
        idempotency = { owner, key: idempotencyKey };
      }

      const response = await handler(ctx);
      if (idempotency) {
        if (response.status < 400) await completeIdempotencyKey(idempotency.owner, idempotency.key, response, info.url.origin);
        else await releaseIdempotencyKey(idempotency.owner, idempotency.key);
      }
      return toResponse(info, response);
    } catch (error) {
      if (idempotency) await releaseIdempotencyKey(idempotency.owner, idempotency.key).catch(() => undefined);
      return failureResponse(info, error);
    }
  };
}

/** Any thrown error as the response the caller's profile expects (unexpected ones logged, a 500 without details). */
export function failureResponse(info: RequestInfo, error: unknown): Response {
  const appError = toAppError(error, info.requestId);
  const response = errorResponse(info, { status: appError.status, code: appError.code, message: appError.message, details: appError.details });
  if (appError.code === "service_unavailable") response.headers["Retry-After"] = String(UNAVAILABLE_RETRY_AFTER_SECONDS);
  return toResponse(info, response);
}
