// Where to go after signing in: only a path on this site. Anything that a browser could read as another
// origin (`//host`, `/\host`, control characters it strips first, absolute URLs) falls back to the dashboard.
export const DEFAULT_AFTER_SIGN_IN = "/dashboard";
/** Set by proxy.ts on dashboard requests (overwriting any sent by the client): the path asked for. */
export const REQUESTED_PATH_HEADER = "x-mediabit-requested-path";
const MAX_PATH_LENGTH = 2000;
const PROBE_ORIGIN = "http://mediabit.invalid";

export function safeCallbackPath(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_PATH_LENGTH) return null;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return null;
  // Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example` would become `//evil.example`.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN) return null;
  // The auth endpoints themselves are no destination.
  if (url.pathname.startsWith("/api/")) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The first acceptable of the given candidates (`callbackUrl`, `next`), else the dashboard. */
export function afterSignInPath(...candidates: unknown[]): string {
  for (const candidate of candidates) {
    const path = safeCallbackPath(candidate);
    if (path) return path;
  }
  return DEFAULT_AFTER_SIGN_IN;
}

/** The sign-in page, carrying where the visitor wanted to go. */
export function loginPathFor(wanted: string | null | undefined, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  const path = safeCallbackPath(wanted);
  if (path && path !== DEFAULT_AFTER_SIGN_IN) params.set("callbackUrl", path);
  const query = params.toString();
  return query ? `/login?${query}` : "/login";
}
