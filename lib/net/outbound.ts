// The one way server code reaches user-chosen URLs: every connection goes only to an address checked against policy.
import { promises as dns, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import type { Duplex } from "node:stream";
import { Agent, Headers, buildConnector, request, type Dispatcher } from "undici";
import { env } from "@/lib/env";
import { classifyAddress, describeAddressKind, isAllowed, parseAllowList, type AddressKind, type AllowList } from "./address-policy";

export type ResolveHost = (hostname: string) => Promise<readonly { address: string; family?: number }[]>;

export type OutboundPolicyOptions = {
  /** Overrides MEDIABIT_ALLOW_PRIVATE_HOSTS; a string is parsed like the setting. */
  allowList?: AllowList | string;
  /** Overrides DNS resolution (tests point hostnames at loopback addresses with it). */
  lookup?: ResolveHost;
};

export type OutboundInit = OutboundPolicyOptions & {
  method?: string;
  headers?: Record<string, string>;
  /** Kept in memory so it can be sent again after a 307/308 redirect. */
  body?: string | Uint8Array | null;
  signal?: AbortSignal;
  /** Redirects followed before giving up; every hop is checked again. */
  maxRedirects?: number;
  /** Deadline for connecting, redirects and the final response's headers; the body then streams under `signal`. */
  timeoutMs?: number;
  /** Bytes the body stream buffers; large downloads cost less CPU with bigger reads. */
  highWaterMark?: number;
};

/** The final response: status, headers and the unread body as a Node stream (with `text()`/`json()` helpers). */
export type OutboundResponse = { status: number; headers: Headers; body: Dispatcher.ResponseData["body"]; url: string };

type Hop = { method: string; headers: Headers; body: string | Uint8Array | null };

type BlockedDetails =
  | { reason: "scheme"; url: string; scheme: string }
  | { reason: "address"; host: string; address: string; kind: AddressKind; url?: string }
  | { reason: "unix_socket"; socketPath: string }
  | { reason: "too_many_redirects"; url: string; maxRedirects: number };

export class OutboundBlockedError extends Error {
  readonly code = "outbound_blocked";
  readonly details: BlockedDetails;

  constructor(details: BlockedDetails) {
    super(describeBlocked(details));
    this.name = "OutboundBlockedError";
    this.details = details;
  }
}

type Policy = { allowList: AllowList; resolveHost: ResolveHost };
type ConnectCallback = (error: Error | null, stream: Duplex) => void;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

/**
 * An HTTP request to a user-supplied URL: http(s) only, every resolved address checked and pinned for the connection,
 * redirects followed by hand and re-checked. Resolves with the final response once its headers arrive.
 */
export async function outboundRequest(input: string | URL, init: OutboundInit = {}): Promise<OutboundResponse> {
  const { allowList, lookup, maxRedirects = 5, timeoutMs = 30_000, signal, highWaterMark } = init;
  let url = new URL(input);
  let hop: Hop = { method: (init.method ?? "GET").toUpperCase(), headers: new Headers(init.headers), body: init.body ?? null };
  const policy = resolvePolicy({ allowList, lookup });
  const agent = new Agent({ connect: createGuardedConnector(() => policy) });
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException(`outbound request timed out after ${timeoutMs} ms`, "TimeoutError")),
    timeoutMs,
  );
  const hopSignal = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
  try {
    for (let redirects = 0; ; redirects++) {
      assertHttpScheme(url);
      const response = await request(url, {
        method: hop.method as Dispatcher.HttpMethod,
        headers: Object.fromEntries(hop.headers),
        body: hop.body,
        signal: hopSignal,
        dispatcher: agent,
        ...(highWaterMark ? { highWaterMark } : {}),
      });
      const headers = toHeaders(response.headers);
      const location = REDIRECT_STATUSES.has(response.statusCode) ? headers.get("location") : null;
      if (location === null) {
        clearTimeout(timer);
        // Graceful close lets the body finish streaming, then frees the sockets.
        void agent.close();
        return { status: response.statusCode, headers, body: response.body, url: url.href };
      }
      await response.body.dump();
      if (redirects >= maxRedirects) {
        throw new OutboundBlockedError({ reason: "too_many_redirects", url: redactUrl(new URL(input)), maxRedirects });
      }
      const next = new URL(location, url);
      hop = redirectHop(hop, response.statusCode, url, next);
      url = next;
    }
  } catch (error) {
    clearTimeout(timer);
    void agent.destroy();
    throw withBlockedUrl(error, url);
  }
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  return headers;
}

/** node:http(s) agents for clients such as the AWS SDK: sockets open only to checked, pinned addresses. */
export function guardedAgents(options: OutboundPolicyOptions = {}): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const policy = () => resolvePolicy(options);
  const lookup = createPinnedLookup(policy);
  // Node skips `lookup` for literal IPs and honours socketPath, so both are refused or checked before connecting.
  const connectGuarded = <T extends http.ClientRequestArgs>(
    create: (connection: T, callback?: ConnectCallback) => Duplex | null | undefined,
    connection: T,
    callback?: ConnectCallback,
  ): Duplex | null | undefined => {
    try {
      if (connection.socketPath) throw new OutboundBlockedError({ reason: "unix_socket", socketPath: connection.socketPath });
      const host = stripBrackets(connection.host ?? connection.hostname ?? "localhost");
      if (isIP(host) !== 0) assertAddressesAllowed(host, [host], policy().allowList);
    } catch (error) {
      if (!callback) throw error;
      process.nextTick(callback, error, undefined);
      return undefined;
    }
    return create({ ...connection, lookup }, callback);
  };

  class GuardedHttpAgent extends http.Agent {
    override createConnection(connection: http.ClientRequestArgs, callback?: ConnectCallback) {
      return connectGuarded((checked, done) => super.createConnection(checked, done), connection, callback);
    }
  }
  class GuardedHttpsAgent extends https.Agent {
    override createConnection(connection: https.RequestOptions, callback?: ConnectCallback) {
      return connectGuarded((checked, done) => super.createConnection(checked, done), connection, callback);
    }
  }
  return {
    httpAgent: new GuardedHttpAgent({ keepAlive: true, maxSockets: 50 }),
    httpsAgent: new GuardedHttpsAgent({ keepAlive: true, maxSockets: 50 }),
  };
}

function resolvePolicy(options: OutboundPolicyOptions): Policy {
  const allowList = options.allowList ?? env().MEDIABIT_ALLOW_PRIVATE_HOSTS;
  return {
    allowList: typeof allowList === "string" ? parseAllowList(allowList) : allowList,
    resolveHost: options.lookup ?? ((hostname) => dns.lookup(hostname, { all: true })),
  };
}

// Literal IPs never reach a lookup hook, so the connector checks them; hostnames are checked inside the lookup.
function createGuardedConnector(policy: () => Policy): buildConnector.connector {
  const connect = buildConnector({ lookup: createPinnedLookup(policy) });
  return (options, callback) => {
    try {
      if (isIP(options.hostname) !== 0) assertAddressesAllowed(options.hostname, [options.hostname], policy().allowList);
    } catch (error) {
      callback(error as Error, null);
      return;
    }
    connect(options, callback);
  };
}

// The socket connects to exactly the addresses this lookup checked, so DNS cannot change between check and connect.
function createPinnedLookup(policy: () => Policy): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolveAllowedAddresses(hostname, policy()).then(
      (addresses) => {
        const wanted = options.family ? addresses.filter((entry) => entry.family === options.family) : addresses;
        const first = wanted[0];
        if (!first) return callback(lookupError(hostname), []);
        if (options.all) return callback(null, wanted);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

async function resolveAllowedAddresses(hostname: string, policy: Policy): Promise<LookupAddress[]> {
  const resolved = await policy.resolveHost(hostname);
  const addresses = resolved.map(({ address }) => address);
  if (addresses.length === 0) throw lookupError(hostname);
  assertAddressesAllowed(hostname, addresses, policy.allowList);
  return addresses.map((address) => ({ address, family: isIP(address) }));
}

// Every answer must pass, since the socket may try any of them.
function assertAddressesAllowed(hostname: string, addresses: readonly string[], allowList: AllowList): void {
  for (const address of addresses) {
    if (isIP(address) === 0) throw new Error(`lookup for ${hostname} returned ${JSON.stringify(address)}, not an IP address`);
    if (!isAllowed({ hostname, address }, allowList)) {
      throw new OutboundBlockedError({ reason: "address", host: hostname, address, kind: classifyAddress(address) });
    }
  }
}

function assertHttpScheme(url: URL): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OutboundBlockedError({ reason: "scheme", url: redactUrl(url), scheme: url.protocol });
  }
}

// Follows the fetch standard: 303 (and 301/302 after POST) become GET without a body; credentials stay on their origin.
function redirectHop(previous: Hop, status: number, from: URL, to: URL): Hop {
  const next: Hop = { ...previous, headers: new Headers(previous.headers) };
  if ((status === 303 && previous.method !== "HEAD") || ((status === 301 || status === 302) && previous.method === "POST")) {
    next.method = "GET";
    next.body = null;
    for (const name of BODY_HEADERS) next.headers.delete(name);
  }
  if (from.origin !== to.origin) for (const name of CREDENTIAL_HEADERS) next.headers.delete(name);
  return next;
}

// Connector failures may arrive wrapped (undici's fetch reports TypeError("fetch failed") with the real error as its cause).
function withBlockedUrl(error: unknown, url: URL): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++, current = current.cause) {
    if (!(current instanceof OutboundBlockedError)) continue;
    if (current.details.reason !== "address" || current.details.url) return current;
    return new OutboundBlockedError({ ...current.details, url: redactUrl(url) });
  }
  return error;
}

// Query strings often carry signatures or tokens (presigned URLs, webhook secrets), so messages leave them out.
function redactUrl(url: URL): string {
  return url.host ? `${url.protocol}//${url.host}${url.pathname}` : url.protocol;
}

function describeBlocked(details: BlockedDetails): string {
  switch (details.reason) {
    case "scheme":
      return `refused a ${details.scheme} URL: only http: and https: URLs may be fetched`;
    case "unix_socket":
      return `refused to connect to unix socket ${details.socketPath}`;
    case "too_many_redirects":
      return `refused to follow more than ${details.maxRedirects} redirects for ${details.url}`;
    case "address": {
      const via = details.host === details.address ? "" : `, resolved from ${details.host}`;
      const target = details.url ? ` for ${details.url}` : "";
      return (
        `refused to connect to ${details.address} (${describeAddressKind(details.kind)}${via})${target}; ` +
        "set MEDIABIT_ALLOW_PRIVATE_HOSTS to allow it"
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Download pace: a source may not hold a worker's slot by dripping bytes (each byte resets an idle timer) or forever.

export type DownloadLimits = {
  /** Below this average over `windowMs`, the download fails; 0 turns the rule off. */
  minBytesPerSecond: number;
  windowMs: number;
  /** The whole download, from the request to the last byte. */
  maxMs: number;
};

/** The download settings (MEDIABIT_DOWNLOAD_*). */
export function downloadLimits(): DownloadLimits {
  const settings = env();
  return {
    minBytesPerSecond: settings.MEDIABIT_DOWNLOAD_MIN_BYTES_PER_SECOND,
    windowMs: settings.MEDIABIT_DOWNLOAD_MIN_RATE_WINDOW_SECONDS * 1000,
    maxMs: settings.MEDIABIT_DOWNLOAD_MAX_SECONDS * 1000,
  };
}

/** A download stopped by its pace: retrying the same source would only hold a slot as long again. */
export class DownloadPaceError extends Error {
  readonly reason: "too_slow" | "too_long";
  readonly bytes: number;
  readonly ms: number;

  constructor(details: { reason: "too_slow" | "too_long"; bytes: number; ms: number; limits: DownloadLimits }) {
    const { reason, bytes, ms, limits } = details;
    super(
      reason === "too_slow"
        ? `the source sent ${formatBytes(bytes)} in ${formatSeconds(ms)}, below the minimum of ${formatBytes(limits.minBytesPerSecond)}/s ` +
            `(MEDIABIT_DOWNLOAD_MIN_BYTES_PER_SECOND, averaged over ${formatSeconds(limits.windowMs)})`
        : `the download did not finish within ${formatSeconds(limits.maxMs)} (MEDIABIT_DOWNLOAD_MAX_SECONDS); ${formatBytes(bytes)} had arrived`,
    );
    this.name = "DownloadPaceError";
    this.reason = reason;
    this.bytes = bytes;
    this.ms = ms;
  }
}

export type DownloadPace = {
  /** Aborted with a DownloadPaceError when the download breaks a limit. */
  signal: AbortSignal;
  /** Starts the rate window (call when the body starts; the total limit runs from the watcher's creation). */
  bodyStarted(): void;
  /** Bytes that arrived. */
  count(bytes: number): void;
  stop(): void;
};

/**
 * Watches one download: the total time from now, and, once the body starts, the bytes received over every sliding
 * window of `windowMs` (checked about ten times per window).
 */
export function watchDownloadPace(limits: DownloadLimits = downloadLimits()): DownloadPace {
  const controller = new AbortController();
  const started = performance.now();
  let total = 0;
  let ticker: NodeJS.Timeout | undefined;
  const fail = (reason: "too_slow" | "too_long", bytes: number, ms: number) => {
    if (controller.signal.aborted) return;
    stop();
    controller.abort(new DownloadPaceError({ reason, bytes, ms, limits }));
  };
  const deadline = setTimeout(() => fail("too_long", total, performance.now() - started), limits.maxMs);
  deadline.unref();
  const stop = () => {
    clearTimeout(deadline);
    clearInterval(ticker);
  };
  return {
    signal: controller.signal,
    bodyStarted() {
      if (ticker || limits.minBytesPerSecond <= 0 || controller.signal.aborted) return;
      // (time, bytes so far) samples; the oldest kept is the newest one at least a window old.
      const samples = [{ at: performance.now(), total }];
      ticker = setInterval(() => {
        const now = performance.now();
        samples.push({ at: now, total });
        while (samples.length > 1 && (samples[1]?.at ?? now) <= now - limits.windowMs) samples.shift();
        const base = samples[0];
        if (!base || now - base.at < limits.windowMs) return;
        const bytes = total - base.total;
        if (bytes < (limits.minBytesPerSecond * (now - base.at)) / 1000) fail("too_slow", bytes, now - base.at);
      }, Math.max(20, Math.min(1000, limits.windowMs / 10)));
      ticker.unref();
    },
    count(bytes) {
      total += bytes;
    },
    stop,
  };
}

/** 1.2 KiB, 32 KiB, 3 B: the binary units the settings are given in. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${seconds >= 10 ? Math.round(seconds) : Number(seconds.toFixed(1))} s`;
}

function lookupError(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
}

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
