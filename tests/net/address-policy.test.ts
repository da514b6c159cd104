// Classification and allow-list rules, checked without opening a single connection.
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { classifyAddress, isAllowed, parseAllowList, type AddressKind } from "@/lib/net/address-policy";

const IPV4_CASES: [string, AddressKind][] = [
  ["8.8.8.8", "public"],
  ["1.1.1.1", "public"],
  ["172.15.255.255", "public"],
  ["172.32.0.1", "public"],
  ["100.128.0.1", "public"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["127.0.0.1", "loopback"],
  ["127.0.0.2", "loopback"],
  ["127.255.255.254", "loopback"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.168.1.1", "private"],
  ["169.254.169.254", "link_local"],
  ["169.254.0.1", "link_local"],
  ["100.64.0.1", "carrier_nat"],
  ["100.127.255.255", "carrier_nat"],
  ["198.18.0.1", "benchmarking"],
  ["198.19.255.255", "benchmarking"],
  ["192.0.2.1", "documentation"],
  ["198.51.100.7", "documentation"],
  ["203.0.113.9", "documentation"],
  ["192.0.0.170", "reserved"],
  ["192.88.99.1", "reserved"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.254", "reserved"],
];

const IPV6_CASES: [string, AddressKind][] = [
  ["2606:4700:4700::1111", "public"],
  ["2001:4860:4860::8888", "public"],
  ["::", "unspecified"],
  ["::1", "loopback"],
  ["[::1]", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  // IPv4-mapped, in dotted and hex notation
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:169.254.169.254", "link_local"],
  ["::ffff:a9fe:a9fe", "link_local"],
  ["::ffff:10.0.0.1", "private"],
  ["::ffff:0.0.0.0", "unspecified"],
  ["::ffff:8.8.8.8", "public"],
  // IPv4-compatible (deprecated) and SIIT-translated forms are never public
  ["::127.0.0.1", "loopback"],
  ["::8.8.8.8", "reserved"],
  ["::808:808", "reserved"],
  ["::7f00:1", "loopback"],
  ["::ffff:0:127.0.0.1", "loopback"],
  ["::ffff:0:8.8.8.8", "reserved"],
  // NAT64 well-known prefix, and the local-use prefix
  ["64:ff9b::127.0.0.1", "loopback"],
  ["64:ff9b::a9fe:a9fe", "link_local"],
  ["64:ff9b::192.168.0.1", "private"],
  ["64:ff9b::8.8.8.8", "public"],
  ["64:ff9b:1::1", "private"],
  // 6to4
  ["2002:7f00:1::", "loopback"],
  ["2002:c0a8:101::1", "private"],
  ["2002:a9fe:a9fe::", "link_local"],
  ["2002:808:808::1", "public"],
  // Teredo: the client address is stored bit-inverted in the last 32 bits
  ["2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"],
  ["2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "documentation"],
  ["2001:0:4136:e378:8000:63bf:f7f7:f7f7", "public"],
  ["fc00::1", "unique_local"],
  ["fd00::1", "unique_local"],
  ["fd00:ec2::254", "unique_local"],
  ["fe80::1", "link_local"],
  ["fe80::1%eth0", "link_local"],
  ["fe80::1%eth0.100", "link_local"],
  ["fd00::1.2.3.4%br-0", "unique_local"],
  ["febf:ffff::1", "link_local"],
  ["fec0::1", "site_local"],
  ["ff02::1", "multicast"],
  ["ff05::1:3", "multicast"],
  ["2001:db8::1", "documentation"],
  ["3fff::1", "documentation"],
  ["2001:2::1", "benchmarking"],
  ["2001:10::1", "reserved"],
  ["100::1", "reserved"],
  ["5f00::1", "reserved"],
  ["4000::1", "reserved"],
];

describe("classifyAddress", () => {
  it.each(IPV4_CASES)("classifies IPv4 %s as %s", (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each(IPV6_CASES)("classifies IPv6 %s as %s", (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each(["0177.0.0.1", "2130706433", "127.1", "0x7f.0.0.1", "localhost", "", "1.2.3.4.5", "::g", "[::1"])(
    "rejects the non-canonical or invalid address %j",
    (ip) => {
      expect(() => classifyAddress(ip)).toThrow(TypeError);
    },
  );

  it("gives IPv4-mapped, NAT64, 6to4 and Teredo forms the kind of the IPv4 address they lead to", () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const octets = ip.split(".").map(Number) as [number, number, number, number];
        const [high, low] = [(octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]];
        const hex = (n: number) => n.toString(16);
        const kind = classifyAddress(ip);
        expect(classifyAddress(`::ffff:${ip}`)).toBe(kind);
        expect(classifyAddress(`::ffff:${hex(high)}:${hex(low)}`)).toBe(kind);
        expect(classifyAddress(`64:ff9b::${ip}`)).toBe(kind);
        expect(classifyAddress(`2002:${hex(high)}:${hex(low)}::1`)).toBe(kind);
        expect(classifyAddress(`2001:0:4136:e378:8000:63bf:${hex(~high & 0xffff)}:${hex(~low & 0xffff)}`)).toBe(kind);
      }),
    );
  });

  it("never calls an address in a private, loopback, link-local or CGNAT block public", () => {
    const blocks: [number, number][] = [
      [0x0a000000, 8],
      [0x7f000000, 8],
      [0xa9fe0000, 16],
      [0xac100000, 12],
      [0xc0a80000, 16],
      [0x64400000, 10],
      [0x00000000, 8],
    ];
    const inBlock = fc
      .tuple(fc.constantFrom(...blocks), fc.integer({ min: 0, max: 0xffffffff }))
      .map(([[base, bits], noise]) => (base | (noise >>> bits)) >>> 0)
      .map((n) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join("."));
    fc.assert(
      fc.property(inBlock, (ip) => {
        expect(classifyAddress(ip)).not.toBe("public");
      }),
    );
  });

  it("calls an IPv6 address public only in global unicast or when it leads to a public IPv4 address", () => {
    const publicPrefixes = ["2000::/3", "::ffff:0:0/96", "64:ff9b::/96"].map((cidr) => ipaddr.IPv6.parseCIDR(cidr));
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        if (classifyAddress(ip) !== "public") return;
        const address = ipaddr.IPv6.parse(ip);
        expect(publicPrefixes.some((range) => address.match(range))).toBe(true);
      }),
    );
  });
});

describe("parseAllowList", () => {
  it("reads hostnames, IPs and CIDRs, ignoring blanks, case and trailing dots", () => {
    const list = parseAllowList(" 127.0.0.1 , , Minio.Internal. ,10.0.0.0/8, fd00::/8, [::1], ::ffff:192.168.0.0/120");
    expect(list).toHaveLength(6);
    expect(list[1]).toEqual({ type: "hostname", hostname: "minio.internal" });
    expect(parseAllowList("")).toEqual([]);
  });

  it.each([
    "http://minio.internal",
    "10.0.0.0/33",
    "fd00::/129",
    "10.0.0.0/",
    "10.0.0.0/8/9",
    "/8",
    "minio internal",
    "2130706433",
    "0177.0.0.1",
    "127.1",
    "0x7f000001",
    "-bad.example",
    "10.0.0.1:9000",
    "*.example.com",
    "a..b",
  ])("rejects %j with a clear error", (entry) => {
    expect(() => parseAllowList(`127.0.0.1,${entry}`)).toThrow(/invalid MEDIABIT_ALLOW_PRIVATE_HOSTS entry/);
  });
});

describe("isAllowed", () => {
  const list = parseAllowList("127.0.0.1, 10.0.0.0/8, fd00::/8, Minio.Internal., ::ffff:192.168.7.0/120");

  it.each([
    ["any.example", "8.8.8.8", [], true],
    ["any.example", "2606:4700:4700::1111", [], true],
    ["127.0.0.1", "127.0.0.1", list, true],
    ["127.0.0.2", "127.0.0.2", list, false],
    ["localhost", "::1", list, false],
    ["::ffff:7f00:1", "::ffff:7f00:1", list, true],
    ["store", "10.20.30.40", list, true],
    ["store", "fd00:ec2::254", list, true],
    ["store", "192.168.7.9", list, true],
    ["store", "192.168.8.9", list, false],
    ["MINIO.internal.", "172.20.0.5", list, true],
    ["[MINIO.internal]", "172.20.0.5", list, true],
    ["other.internal", "172.20.0.5", list, false],
    ["nat64", "64:ff9b::7f00:1", list, false],
    ["meta", "169.254.169.254", list, false],
    ["meta", "169.254.169.254", [], false],
  ] as const)("host %s at %s → %s", (hostname, address, allowList, expected) => {
    expect(isAllowed({ hostname, address }, allowList)).toBe(expected);
  });

  it("allows exactly the public addresses when the list is empty", () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (address) => {
        expect(isAllowed({ hostname: "example.test", address }, [])).toBe(classifyAddress(address) === "public");
      }),
    );
  });
});
