// Which IP addresses Mediabit may connect to on a user's behalf, and the operator's allow list.
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

export type AddressKind =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "carrier_nat"
  | "link_local"
  | "unique_local"
  | "site_local"
  | "multicast"
  | "broadcast"
  | "documentation"
  | "benchmarking"
  | "reserved";

export type AllowListEntry =
  | { type: "hostname"; hostname: string }
  | { type: "cidr"; range: [ipaddr.IPv4 | ipaddr.IPv6, number] };

export type AllowList = readonly AllowListEntry[];

type IPv4Range = [ipaddr.IPv4, number];
type IPv6Range = [ipaddr.IPv6, number];

const KIND_LABELS: Record<AddressKind, string> = {
  public: "public address",
  unspecified: "unspecified address",
  loopback: "loopback address",
  private: "private network address",
  carrier_nat: "carrier-grade NAT address",
  link_local: "link-local address",
  unique_local: "unique local IPv6 address",
  site_local: "site-local IPv6 address",
  multicast: "multicast address",
  broadcast: "broadcast address",
  documentation: "documentation address",
  benchmarking: "benchmarking address",
  reserved: "reserved address",
};

// First match wins, so narrower ranges come before the ranges that contain them.
const IPV4_RANGES: readonly (readonly [IPv4Range, AddressKind])[] = (
  [
    ["0.0.0.0/8", "unspecified"],
    ["10.0.0.0/8", "private"],
    ["100.64.0.0/10", "carrier_nat"],
    ["127.0.0.0/8", "loopback"],
    ["169.254.0.0/16", "link_local"],
    ["172.16.0.0/12", "private"],
    ["192.0.0.0/24", "reserved"],
    ["192.0.2.0/24", "documentation"],
    ["192.88.99.0/24", "reserved"],
    ["192.168.0.0/16", "private"],
    ["198.18.0.0/15", "benchmarking"],
    ["198.51.100.0/24", "documentation"],
    ["203.0.113.0/24", "documentation"],
    ["224.0.0.0/4", "multicast"],
    ["255.255.255.255/32", "broadcast"],
    ["240.0.0.0/4", "reserved"],
  ] as const
).map(([cidr, kind]) => [ipaddr.IPv4.parseCIDR(cidr), kind] as const);

// An IPv6 rule either names a kind or derives it from the IPv4 address the prefix leads to.
type IPv6Rule = AddressKind | ((address: ipaddr.IPv6) => AddressKind);

const IPV6_RANGES: readonly (readonly [IPv6Range, IPv6Rule])[] = (
  [
    ["::/128", "unspecified"],
    ["::1/128", "loopback"],
    ["::ffff:0:0/96", (address) => classifyIPv4(embeddedIPv4(address, 6))],
    // IPv4-compatible and SIIT forms are never public themselves, but name the inner kind when it is worse.
    ["::/96", (address) => orReserved(classifyIPv4(embeddedIPv4(address, 6)))],
    ["::ffff:0:0:0/96", (address) => orReserved(classifyIPv4(embeddedIPv4(address, 6)))],
    ["64:ff9b::/96", (address) => classifyIPv4(embeddedIPv4(address, 6))],
    ["64:ff9b:1::/48", "private"],
    ["2002::/16", (address) => classifyIPv4(embeddedIPv4(address, 1))],
    ["2001::/32", (address) => classifyIPv4(teredoClient(address))],
    ["2001:2::/48", "benchmarking"],
    ["2001:db8::/32", "documentation"],
    ["2001::/23", "reserved"],
    ["3fff::/20", "documentation"],
    ["fc00::/7", "unique_local"],
    ["fe80::/10", "link_local"],
    ["fec0::/10", "site_local"],
    ["ff00::/8", "multicast"],
    ["2000::/3", "public"],
  ] as const satisfies readonly (readonly [string, IPv6Rule])[]
).map(([cidr, rule]) => [ipaddr.IPv6.parseCIDR(cidr), rule] as const);

/** Classifies an IP address string; throws for anything that is not a plain IPv4 or IPv6 address. */
export function classifyAddress(ip: string): AddressKind {
  const address = parsePlainAddress(ip);
  if (!address) throw new TypeError(`not an IP address: ${JSON.stringify(ip)}`);
  return address.kind() === "ipv4" ? classifyIPv4(address as ipaddr.IPv4) : classifyIPv6(address as ipaddr.IPv6);
}

export function describeAddressKind(kind: AddressKind): string {
  return KIND_LABELS[kind];
}

/** Parses a comma-separated list of hostnames, IPs and CIDRs, such as MEDIABIT_ALLOW_PRIVATE_HOSTS. */
export function parseAllowList(raw: string): AllowList {
  return raw
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map(parseAllowListEntry);
}

/** A connection is allowed to a public address, to a listed hostname, or to an address inside a listed range. */
export function isAllowed(target: { hostname: string; address: string }, allowList: AllowList): boolean {
  if (classifyAddress(target.address) === "public") return true;
  const hostname = normalizeHostname(target.hostname);
  const address = unmapIPv4(parsePlainAddress(target.address)!);
  return allowList.some((entry) =>
    entry.type === "hostname"
      ? entry.hostname === hostname
      : entry.range[0].kind() === address.kind() && address.match(entry.range),
  );
}

function classifyIPv4(address: ipaddr.IPv4): AddressKind {
  return IPV4_RANGES.find(([range]) => address.match(range))?.[1] ?? "public";
}

function classifyIPv6(address: ipaddr.IPv6): AddressKind {
  const rule = IPV6_RANGES.find(([range]) => address.match(range))?.[1] ?? "reserved";
  return typeof rule === "function" ? rule(address) : rule;
}

function orReserved(kind: AddressKind): AddressKind {
  return kind === "public" ? "reserved" : kind;
}

/** The IPv4 address held in two consecutive 16-bit groups starting at `index`. */
function embeddedIPv4(address: ipaddr.IPv6, index: number): ipaddr.IPv4 {
  const high = address.parts[index] ?? 0;
  const low = address.parts[index + 1] ?? 0;
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

// Teredo stores the client's IPv4 address bit-inverted in the last 32 bits (RFC 4380).
function teredoClient(address: ipaddr.IPv6): ipaddr.IPv4 {
  const inverted = embeddedIPv4(address, 6).octets.map((octet) => ~octet & 0xff);
  return new ipaddr.IPv4(inverted);
}

// Only the canonical notations Node's resolver and URL parser emit; "0177.1"-style strings are not addresses here.
function parsePlainAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const family = isIP(bare);
  if (family === 4) return ipaddr.IPv4.parse(bare);
  // Zone ids are irrelevant to the kind, and ipaddr.js rejects some that Node accepts ("%eth0.100").
  if (family === 6) return ipaddr.IPv6.parse(hexDottedTail(bare.replace(/%.*$/, "")));
  return undefined;
}

// ipaddr.js reads "::a.b.c.d" as IPv4-mapped, but the OS treats it as IPv4-compatible: spell the tail in hex first.
function hexDottedTail(ip: string): string {
  const match = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!match) return ip;
  const [a, b, c, d] = match.slice(2, 6).map(Number) as [number, number, number, number];
  return `${match[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

// An IPv4-mapped IPv6 address reaches the same host as the IPv4 address, so it matches IPv4 entries.
function unmapIPv4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function normalizeHostname(hostname: string): string {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return bare.toLowerCase().replace(/\.$/, "");
}

const HOSTNAME_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

function parseAllowListEntry(item: string): AllowListEntry {
  const problem = `invalid MEDIABIT_ALLOW_PRIVATE_HOSTS entry ${JSON.stringify(item)}`;
  if (item.includes("/")) {
    const [, ip = "", prefix = ""] = /^([^/]+)\/(\d{1,3})$/.exec(item) ?? [];
    const address = parsePlainAddress(ip);
    if (!address) throw new Error(`${problem}: expected a CIDR such as 10.0.0.0/8 or fd00::/8`);
    const bits = Number(prefix);
    const maxBits = address.kind() === "ipv4" ? 32 : 128;
    if (bits > maxBits) throw new Error(`${problem}: prefix length must be at most ${maxBits}`);
    return { type: "cidr", range: unmapRange(address, bits) };
  }
  const address = parsePlainAddress(item);
  if (address) return { type: "cidr", range: unmapRange(address, address.kind() === "ipv4" ? 32 : 128) };
  const hostname = normalizeHostname(item);
  const labels = hostname.split(".");
  if (hostname.length > 253 || !labels.every((label) => HOSTNAME_LABEL.test(label))) {
    throw new Error(`${problem}: expected a hostname, an IP address or a CIDR`);
  }
  // The URL parser turns all-numeric hosts such as 2130706433 or 0177.1 into IPv4 addresses; ask for the real one.
  if (/^(0x[0-9a-f]*|\d+)$/.test(labels.at(-1) ?? "")) {
    throw new Error(`${problem}: write IPv4 addresses in dotted-decimal form, such as 127.0.0.1`);
  }
  return { type: "hostname", hostname };
}

function unmapRange(address: ipaddr.IPv4 | ipaddr.IPv6, bits: number): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [address, bits];
}
