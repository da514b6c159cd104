// API version profiles: one internal model, rendered per request in the shape the caller expects
// (spec/conventions.md §3, spec/sdk-wire.md §12).
import { AppError } from "@/lib/api/errors";

/**
 * - enveloped: `{meta, data, error, links}`, ISO timestamps, page/limit pagination (A, early B);
 * - bare: objects and arrays as they are, ISO timestamps, `{message}` errors (B, 2025-08-20);
 * - current: bare, `{kind, message}` errors, cursor pagination, C/D timestamps (`latest`).
 */
export type ProfileName = "enveloped" | "bare" | "current";
export type Profile = { name: ProfileName; version: string };

export const BARE_VERSION = "2025-08-20";
export const CURRENT_VERSION = "latest";
export const DEFAULT_PINNED_VERSION = "2025-01-01";
// Runs, connections and webhook endpoints (the C generation) arrived after this date.
const CURRENT_SINCE = "2025-10-01";

export const KNOWN_VERSIONS = ["2024-03-21", "2024-08-21", "2025-01-01", "2025-07-01", BARE_VERSION, CURRENT_VERSION];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidVersion(value: string): boolean {
  return value === CURRENT_VERSION || (DATE.test(value) && !Number.isNaN(Date.parse(value)));
}

/** Maps a version string to its profile; throws a 400 for anything that is not a version. */
export function profileForVersion(value: string): Profile {
  const version = value.trim();
  if (!isValidVersion(version)) {
    throw new AppError(
      "version_invalid",
      `Unknown API version '${value}'. Send a date such as ${BARE_VERSION}, or 'latest' (known versions: ${KNOWN_VERSIONS.join(", ")}).`,
    );
  }
  if (version === CURRENT_VERSION || version >= CURRENT_SINCE) return { name: "current", version };
  if (version >= BARE_VERSION) return { name: "bare", version };
  return { name: "enveloped", version };
}

function requestedVersion(headers: Headers): string | undefined {
  // The official SDKs send `ACCEPT_VERSION` (with an underscore) when the caller sets a version.
  return headers.get("accept-version") ?? headers.get("ittybit-version") ?? headers.get("accept_version") ?? undefined;
}

const SDK_AGENT = /(?:^|\s)(?:@ittybit\/sdk|ittybit\/sdk)\/(\d+)\.(\d+)/i;

/**
 * An official SDK identifies itself by `X-Fern-SDK-Version` or its `User-Agent`: releases before
 * 0.10 read envelopes, 0.10 and later read bare objects (sdk-wire.md §9.4).
 */
function sdkProfile(headers: Headers): Profile | undefined {
  const fernName = headers.get("x-fern-sdk-name");
  const fernVersion = headers.get("x-fern-sdk-version");
  let major: number | undefined;
  let minor: number | undefined;
  const fern = fernName && fernVersion ? /^(\d+)\.(\d+)/.exec(fernVersion) : null;
  if (fern && /ittybit/i.test(fernName ?? "")) {
    major = Number(fern[1]);
    minor = Number(fern[2]);
  } else {
    const agent = SDK_AGENT.exec(headers.get("user-agent") ?? "");
    if (!agent) return undefined;
    major = Number(agent[1]);
    minor = Number(agent[2]);
  }
  if (major === 0 && minor < 10) return { name: "enveloped", version: DEFAULT_PINNED_VERSION };
  return { name: "bare", version: BARE_VERSION };
}

/** Explicit header, else an official SDK's self-identification, else the project's pinned version. */
export function resolveProfile(headers: Headers, pinnedVersion: string | undefined): Profile {
  const requested = requestedVersion(headers);
  if (requested) return profileForVersion(requested);
  return sdkProfile(headers) ?? profileForVersion(pinnedVersion ?? DEFAULT_PINNED_VERSION);
}

/** Same order, for responses sent before the project is known (401s): never throws. */
export function resolveProfileLeniently(headers: Headers): Profile {
  try {
    return resolveProfile(headers, undefined);
  } catch {
    return profileForVersion(DEFAULT_PINNED_VERSION);
  }
}
