// Whether the address policy lets Mediabit reach a connection's endpoint, asked at save time so a blocked one is named then.
import { promises as dns } from "node:dns";
import { isIP } from "node:net";
import { classifyAddress, describeAddressKind, isAllowed, parseAllowList } from "@/lib/net/address-policy";
import type { ResolveHost } from "@/lib/net/outbound";
import { env } from "@/lib/env";

export type EndpointPolicyOptions = { allowList?: string; lookup?: ResolveHost };

/**
 * A sentence saying why the endpoint is blocked, or null when it may be reached. A host that does not resolve is
 * not blocked here: the test names that failure when it happens.
 */
export async function describeBlockedEndpoint(endpoint: string, options: EndpointPolicyOptions = {}): Promise<string | null> {
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, "");
  const allowList = parseAllowList(options.allowList ?? env().MEDIABIT_ALLOW_PRIVATE_HOSTS);
  const lookup = options.lookup ?? ((hostname: string) => dns.lookup(hostname, { all: true }));
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host)).map((entry) => entry.address);
  } catch {
    return null;
  }
  for (const address of addresses) {
    if (isIP(address) === 0 || isAllowed({ hostname: host, address }, allowList)) continue;
    const via = address === host ? "" : ` (${host} resolves to ${address})`;
    return `Mediabit's address policy blocks this endpoint: it is a ${describeAddressKind(classifyAddress(address))}${via}. Use a public endpoint, or ask the operator to add the host to the MEDIABIT_ALLOW_PRIVATE_HOSTS setting.`;
  }
  return null;
}
