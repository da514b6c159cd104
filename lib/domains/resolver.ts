// The CNAME lookup behind domain verification, swappable so tests answer from a table and send no DNS traffic.
import { Resolver } from "node:dns/promises";

/** The CNAME targets of `hostname`; rejects with a Node DNS error (`code` ENODATA, ENOTFOUND, ETIMEOUT…) when there are none. */
export type CnameResolver = (hostname: string) => Promise<string[]>;

const systemResolver: CnameResolver = (hostname) => new Resolver({ timeout: 3000, tries: 2 }).resolveCname(hostname);

let current: CnameResolver = systemResolver;

export function cnameResolver(): CnameResolver {
  return current;
}

/** Tests only: answer CNAME lookups with `resolver` until the returned restore function runs. */
export function useCnameResolver(resolver: CnameResolver): () => void {
  current = resolver;
  return () => {
    current = systemResolver;
  };
}
