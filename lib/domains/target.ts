// Where custom domains point: MEDIABIT_DOMAIN_TARGET, else MEDIABIT_PUBLIC_URL's host, else the host a request reached.
import { requestHostname } from "@/lib/domains/hostname";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/net/client-address";

type HeaderSource = { get(name: string): string | null };

/** The configured CNAME target; null when neither setting names one (then only a request can tell). */
export function configuredDomainTarget(): string | null {
  const { MEDIABIT_DOMAIN_TARGET, MEDIABIT_PUBLIC_URL } = env();
  if (MEDIABIT_DOMAIN_TARGET) return MEDIABIT_DOMAIN_TARGET;
  return MEDIABIT_PUBLIC_URL ? requestHostname(new URL(MEDIABIT_PUBLIC_URL).host) : null;
}

export function domainTarget(headers: HeaderSource): string {
  return configuredDomainTarget() ?? requestHostname(new URL(requestOrigin(headers)).host) ?? "localhost";
}

/** This server's own hostnames: never a custom domain. */
export function reservedHostnames(target: string): string[] {
  const { MEDIABIT_DOMAIN_TARGET, MEDIABIT_PUBLIC_URL } = env();
  const publicHost = MEDIABIT_PUBLIC_URL ? requestHostname(new URL(MEDIABIT_PUBLIC_URL).host) : null;
  return [...new Set([target, MEDIABIT_DOMAIN_TARGET, publicHost].filter((h): h is string => Boolean(h)))];
}
