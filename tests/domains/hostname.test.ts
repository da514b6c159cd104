import { describe, expect, it } from "vitest";
import { normalizeHostname, requestHostname } from "@/lib/domains/hostname";

describe("normalizeHostname", () => {
  it.each([
    ["media.example.com", "media.example.com"],
    ["  Media.Example.COM. ", "media.example.com"],
    ["médias.example.com", "xn--mdias-bsa.example.com"],
    ["xn--mdias-bsa.example.com", "xn--mdias-bsa.example.com"],
    ["a-b.c-d.example", "a-b.c-d.example"],
  ])("accepts %j as %j", (input, expected) => {
    expect(normalizeHostname(input)).toEqual({ ok: true, hostname: expected });
  });

  it.each([
    ["", /enter a hostname/],
    ["https://media.example.com", /without https:\/\/ or a path/],
    ["media.example.com/videos", /without https:\/\/ or a path/],
    ["media.example.com:8443", /without a port/],
    ["user@media.example.com", /user name/],
    ["203.0.113.7", /IP address/],
    ["[2001:db8::1]", /IP address/],
    ["2001:db8::1", /IP address/],
    ["1.2.3.256", /IP address/],
    ["localhost", /dot|localhost/],
    ["cdn.localhost", /localhost/],
    ["intranet", /full hostname with a dot/],
    ["-bad.example.com", /each part between dots/],
    ["bad-.example.com", /each part between dots/],
    ["under_score.example.com", /not a valid hostname/],
    ["two..dots.example.com", /not a valid hostname/],
    ["media example.com", /spaces/],
    [`${"a".repeat(64)}.example.com`, /1–63/],
  ])("refuses %j in words", (input, message) => {
    const result = normalizeHostname(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("refuses the server's own hostnames", () => {
    const result = normalizeHostname("Mediabit.Example.org", ["mediabit.example.org"]);
    expect(result).toEqual({ ok: false, message: expect.stringContaining("this server's own hostname") });
  });
});

describe("requestHostname", () => {
  it.each([
    ["media.example.com", "media.example.com"],
    ["Media.Example.com:8080", "media.example.com"],
    ["media.example.com.", "media.example.com"],
    ["[::1]:3000", null],
    ["", null],
    [null, null],
  ])("reads %j as %j", (input, expected) => {
    expect(requestHostname(input)).toBe(expected);
  });
});
