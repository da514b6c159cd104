// Custom delivery hostnames: one normaliser (lower-case, IDNA to punycode) and the rules a hostname must meet.
import { isIP } from "node:net";
import { domainToASCII } from "node:url";

export type HostnameCheck = { ok: true; hostname: string } | { ok: false; message: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const EXAMPLE = "such as media.example.com";

/**
 * `Media.Example.com.` and `médias.example.com` become `media.example.com` and `xn--mdias-bsa.example.com`;
 * URLs, ports, IP addresses, single labels and localhost are refused with a sentence saying why.
 * `reserved` are this server's own hostnames (they serve the dashboard and the API).
 */
export function normalizeHostname(input: string, reserved: readonly string[] = []): HostnameCheck {
  const raw = input.trim();
  if (!raw) return { ok: false, message: `enter a hostname ${EXAMPLE}` };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || raw.includes("/")) return { ok: false, message: `enter the hostname alone, ${EXAMPLE}, without https:// or a path` };
  if (raw.includes("@")) return { ok: false, message: `enter the hostname alone, ${EXAMPLE}, without a user name` };
  if (isIP(raw.replace(/^\[|\]$/g, "")) !== 0) return { ok: false, message: "an IP address cannot be a custom domain: enter a hostname you control" };
  if (raw.includes(":")) return { ok: false, message: `enter the hostname without a port, ${EXAMPLE}` };
  const withoutDot = raw.toLowerCase().replace(/\.$/, "");
  if (/\s/.test(withoutDot)) return { ok: false, message: "a hostname cannot contain spaces" };
  // WHATWG parsing reads a numeric last label as IPv4 (`1.2.3.256`, `0x7f.1`): such names are addresses, not hostnames.
  if (/^(\d+|0x[0-9a-f]*)$/.test(withoutDot.split(".").at(-1) ?? "")) return { ok: false, message: "an IP address cannot be a custom domain: enter a hostname you control" };
  const ascii = domainToASCII(withoutDot);
  if (!ascii) return { ok: false, message: `'${raw}' is not a valid hostname: use letters, digits, hyphens and dots, ${EXAMPLE}` };
  if (ascii.length > 253) return { ok: false, message: "a hostname can be at most 253 characters long" };
  const labels = ascii.split(".");
  if (labels.length < 2) return { ok: false, message: `use a full hostname with a dot, ${EXAMPLE}` };
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) return { ok: false, message: `'${raw}' is not a valid hostname: each part between dots has 1–63 letters, digits or hyphens, and no hyphen at either end` };
  if (ascii === "localhost" || ascii.endsWith(".localhost")) return { ok: false, message: "localhost cannot be a custom domain: enter a public hostname you control" };
  if (reserved.includes(ascii)) return { ok: false, message: `${ascii} is this server's own hostname (it serves the dashboard and the API): use another hostname, ${EXAMPLE}` };
  return { ok: true, hostname: ascii };
}

/** The hostname a request asked for, as `normalizeHostname` would store it; null when there is none. */
export function requestHostname(hostHeader: string | null | undefined): string | null {
  const first = hostHeader?.split(",")[0]?.trim().toLowerCase();
  if (!first) return null;
  // Bracketed IPv6 literals and a trailing :port are never custom domains.
  if (first.startsWith("[")) return null;
  return first.replace(/:\d*$/, "").replace(/\.$/, "") || null;
}
