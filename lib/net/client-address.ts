// Who is asking, and at which origin: the client address (rate limits) and the origin a request reached
// (URLs in responses). Forwarded headers are believed only with MEDIABIT_TRUST_PROXY=1; otherwise the client
// address is the socket's peer, stamped on every request by installPeerAddressHeader().
import http from "node:http";
import { env } from "@/lib/env";

/** Set by this process on every incoming request, overwriting whatever a client sent under this name. */
export const PEER_HEADER = "x-mediabit-peer-address";

let installed = false;

/**
 * Next.js keeps a client's own X-Forwarded-For, so the socket's address is not otherwise visible to route
 * handlers. Stamping it before Next.js sees the request makes it readable and unspoofable.
 */
export function installPeerAddressHeader(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function patchedEmit(this: http.Server, event: string, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers[PEER_HEADER] = request.socket?.remoteAddress ?? "unknown";
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}

type HeaderSource = { get(name: string): string | null };

function firstForwarded(value: string | null): string | undefined {
  return value?.split(",")[0]?.trim() || undefined;
}

/** The client's address: the first X-Forwarded-For hop behind a trusted proxy, else the socket's peer. */
export function clientAddress(headers: HeaderSource): string {
  if (env().MEDIABIT_TRUST_PROXY) {
    const forwarded = firstForwarded(headers.get("x-forwarded-for"));
    if (forwarded) return normalizeAddress(forwarded);
  }
  return normalizeAddress(headers.get(PEER_HEADER) ?? "unknown");
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are one client. */
function normalizeAddress(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1").toLowerCase();
}

/**
 * The origin a request reached: MEDIABIT_PUBLIC_URL when set, else the request's Host (X-Forwarded-Host and
 * -Proto only behind a trusted proxy). Only for answers to that request: never store or send out a URL built
 * from request headers (e-mails and webhooks use MEDIABIT_PUBLIC_URL).
 */
export function requestOrigin(headers: HeaderSource): string {
  const configured = env().MEDIABIT_PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const trust = env().MEDIABIT_TRUST_PROXY;
  const host = (trust ? firstForwarded(headers.get("x-forwarded-host")) : undefined) ?? headers.get("host") ?? `localhost:${env().PORT}`;
  const proto = (trust ? firstForwarded(headers.get("x-forwarded-proto")) : undefined) ?? "http";
  const origin = `${proto === "https" ? "https" : "http"}://${host}`;
  try {
    return new URL(origin).origin;
  } catch {
    return `http://localhost:${env().PORT}`;
  }
}
