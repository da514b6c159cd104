// One answer to "did this fail because the database is unreachable right now?": connection refused or reset,
// a terminated session (server restart, pg_terminate_backend), a connect timeout, in any of the shapes pg, the
// Prisma driver adapter and Prisma wrap them in. Such a failure says nothing about the work: retry it later.

/** Seconds a caller should wait before retrying while the database is unavailable (every 503's Retry-After). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** PostgreSQL's admin_shutdown, crash_shutdown, cannot_connect_now; 08xxx are connection exceptions. */
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/** Prisma's "can't reach", "timed out", "server closed the connection". */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017"]);
/** The driver adapter's kinds for socket failures. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** pg and pg-pool raise these as plain Errors, without a code. */
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /client has encountered a connection error and is not queryable/i,
  /cannot use a pool after calling end/i,
  /server closed the connection unexpectedly/i,
  /can't reach database server/i,
  /terminating connection due to administrator command/i,
  // Prisma's P2028 when no connection came within the transaction's maxWait: the pool could not connect in time.
  /unable to start a transaction in the given time/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** A failure to reach the database at all (the first connect), with the driver's error as its cause. */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "DatabaseUnavailableError";
  }
}

function fieldOf(value: object, name: string): unknown {
  return (value as Record<string, unknown>)[name];
}

/** Prisma's and the driver adapter's wrappers: below one of them, a socket code is the database's socket. */
function isDatabaseWrapper(value: object): boolean {
  const name = fieldOf(value, "name");
  return typeof name === "string" && (name.startsWith("PrismaClient") || name === "DriverAdapterError" || name === "DatabaseUnavailableError");
}

function matchesOne(value: object, fromDatabase: boolean): boolean {
  if (fieldOf(value, "name") === "DatabaseUnavailableError") return true;
  const code = fieldOf(value, "code");
  if (typeof code === "string" && (UNAVAILABLE_SQLSTATES.has(code) || PRISMA_CODES.has(code))) return true;
  // ECONNRESET from a download is the source's problem, not the database's.
  if (fromDatabase && typeof code === "string" && SOCKET_CODES.has(code)) return true;
  const kind = fieldOf(value, "kind");
  if (typeof kind === "string" && ADAPTER_KINDS.has(kind)) return true;
  if (kind === "postgres" && typeof code === "string" && UNAVAILABLE_SQLSTATES.has(code)) return true;
  const original = fieldOf(value, "originalCode");
  if (typeof original === "string" && UNAVAILABLE_SQLSTATES.has(original)) return true;
  const message = fieldOf(value, "message");
  return typeof message === "string" && MESSAGES.some((pattern) => pattern.test(message));
}

/** For errors straight from pg (no wrapper): would this be unavailability if it came from the database's socket? */
export function isConnectFailure(error: unknown): boolean {
  return isDatabaseUnavailable(error) || (typeof error === "object" && error !== null && matchesOne(error, true));
}

/** True when `error`, or anything it wraps (cause, Prisma's meta.driverAdapterError, AggregateError), says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: { value: unknown; fromDatabase: boolean }[] = [{ value: error, fromDatabase: false }];
  while (queue.length > 0) {
    const { value: current, fromDatabase: above } = queue.shift()!;
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const fromDatabase = above || isDatabaseWrapper(current);
    if (matchesOne(current, fromDatabase)) return true;
    const errors = fieldOf(current, "errors");
    const inner = [fieldOf(current, "cause"), fieldOf(current, "meta"), fieldOf(current, "driverAdapterError"), ...(Array.isArray(errors) ? errors : [])];
    for (const value of inner) queue.push({ value, fromDatabase });
  }
  return false;
}
