// Signed delivery URLs (spec/uploads.md §4): HMAC-SHA256 over "<path>?expiry=<unix s>[&method=<m>]", base64url.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { serverSecret } from "@/lib/env";

export type SignedMethod = "get" | "put";

export type SigningSecret = string | Buffer;

export type VerifyResult = { ok: true } | { ok: false; reason: "expired" | "invalid" | "method_mismatch" };

/** Methods an early Ittybit doc allowed in `method=`; they verify, and must match the request. */
const URL_METHODS = new Set(["get", "put", "post", "delete"]);
const EXPIRY_PATTERN = /^[0-9]{1,15}$/;
// 32 HMAC bytes are exactly 43 base64url characters; anything else cannot be ours.
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Per-project key, derived so no signing secret is ever stored: HKDF-SHA256(serverSecret, "delivery-signing", projectId). */
export function projectSigningSecret(projectId: string): Buffer {
  return Buffer.from(hkdfSync("sha256", serverSecret(), "delivery-signing", projectId, 32));
}

/** Paths are signed without their leading slash, as Ittybit does (`private/image.png`). */
function canonicalPath(path: string): string {
  return path.replace(/^\/+/, "");
}

/** The exact string that is signed; without `method` it is the older form the upload docs describe. */
export function signedString({ path, expiry, method }: { path: string; expiry: number | string; method?: string }): string {
  const base = `${canonicalPath(path)}?expiry=${expiry}`;
  return method === undefined ? base : `${base}&method=${method}`;
}

function hmac(secret: SigningSecret, message: string): Buffer {
  return createHmac("sha256", secret).update(message, "utf8").digest();
}

/** base64url (no padding) HMAC-SHA256 of the signed string. Omit `method` only to produce the legacy form. */
export function signPath({ path, expiry, method, secret }: { path: string; expiry: number; method?: SignedMethod; secret: SigningSecret }): string {
  if (!Number.isSafeInteger(expiry) || expiry < 0) throw new RangeError("expiry must be a whole number of Unix seconds");
  return hmac(secret, signedString({ path, expiry, method })).toString("base64url");
}

/**
 * `https://<host>/<path>?expiry=…&method=…&signature=…`, built from the signed string as Ittybit's sample does.
 * Each path segment is percent-encoded in the URL; the signature covers the decoded path.
 */
export function signedUrl({ origin, path, expiry, method, secret }: { origin: string; path: string; expiry: number; method: SignedMethod; secret: SigningSecret }): string {
  const encodedPath = canonicalPath(path).split("/").map(encodeURIComponent).join("/");
  const signature = signPath({ path, expiry, method, secret });
  return `${origin.replace(/\/+$/, "")}/${encodedPath}?expiry=${expiry}&method=${method}&signature=${signature}`;
}

function matches(secret: SigningSecret, message: string, provided: Buffer): boolean {
  return timingSafeEqual(hmac(secret, message), provided);
}

/** The URL method a request is allowed under: GET and HEAD read, PUT writes. */
function urlMethodFor(requestMethod: string): string {
  const upper = requestMethod.toUpperCase();
  return upper === "HEAD" ? "get" : upper.toLowerCase();
}

/**
 * Checks a signed URL's parts. `method` is the URL's `method=` parameter (absent in the legacy form);
 * `requestMethod` is the HTTP verb of the request (default GET). Accepts the signature over either
 * `"<path>?expiry=<e>&method=<m>"` (with `m` from the URL, or from the request when the URL has none)
 * or, unless `allowLegacy` is false, `"<path>?expiry=<e>"`. The signature is checked first, so a forged URL always reads as `invalid`.
 */
export function verifySignature({
  path,
  expiry,
  method,
  requestMethod = "GET",
  signature,
  secret,
  now = new Date(),
  allowLegacy = true,
}: {
  path: string;
  expiry: number | string;
  method?: string | null;
  requestMethod?: string;
  signature: string;
  secret: SigningSecret;
  now?: Date;
  /** Whether the method-less form (b) is accepted; it authorises any method, so callers may refuse it for writes. */
  allowLegacy?: boolean;
}): VerifyResult {
  const expiryText = String(expiry);
  const trimmed = signature.replace(/=+$/, "");
  if (!EXPIRY_PATTERN.test(expiryText) || !SIGNATURE_PATTERN.test(trimmed)) return { ok: false, reason: "invalid" };
  if (method !== undefined && method !== null && !URL_METHODS.has(method)) return { ok: false, reason: "invalid" };
  const provided = Buffer.from(trimmed, "base64url");
  // The last character carries 2 spare bits: only the canonical spelling counts, so signatures are not malleable.
  if (provided.toString("base64url") !== trimmed) return { ok: false, reason: "invalid" };
  const wanted = urlMethodFor(requestMethod);

  const hasMethod = method !== undefined && method !== null;
  const legacy = allowLegacy && matches(secret, signedString({ path, expiry: expiryText }), provided);
  let signedFor: string | null = null;
  if (hasMethod) {
    // A legacy signature does not cover `method=`, but a URL that names one is still held to it.
    if (legacy || matches(secret, signedString({ path, expiry: expiryText, method }), provided)) signedFor = method;
  } else if (legacy) {
    signedFor = wanted;
  } else {
    // A URL stripped of its `method=` still verifies for the method it was signed for, and only that one.
    for (const candidate of URL_METHODS) {
      if (matches(secret, signedString({ path, expiry: expiryText, method: candidate }), provided)) signedFor = candidate;
    }
  }
  if (signedFor === null) return { ok: false, reason: "invalid" };
  if (Number(expiryText) < Math.floor(now.getTime() / 1000)) return { ok: false, reason: "expired" };
  if (signedFor !== wanted) return { ok: false, reason: "method_mismatch" };
  return { ok: true };
}
