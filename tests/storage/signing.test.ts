// Signed delivery URLs per spec/uploads.md §4.
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { projectSigningSecret, signedString, signedUrl, signPath, verifySignature } from "@/lib/storage/signing";

const secret = "test-signing-secret";
const now = new Date("2026-01-01T00:00:00Z");
const future = Math.floor(now.getTime() / 1000) + 3600;
const past = Math.floor(now.getTime() / 1000) - 1;

describe("signPath", () => {
  it("is base64url HMAC-SHA256 of '<path>?expiry=<e>&method=<m>' without padding", () => {
    const expected = createHmac("sha256", secret).update("private/image.png?expiry=1735689600&method=get").digest("base64url");
    expect(signPath({ path: "private/image.png", expiry: 1735689600, method: "get", secret })).toBe(expected);
    expect(expected).not.toContain("=");
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("signs the path without its leading slash", () => {
    expect(signPath({ path: "/a/b.mp4", expiry: future, method: "get", secret })).toBe(signPath({ path: "a/b.mp4", expiry: future, method: "get", secret }));
  });

  it("produces the legacy method-less string when no method is given", () => {
    expect(signedString({ path: "a.mp4", expiry: 10 })).toBe("a.mp4?expiry=10");
    expect(signedString({ path: "a.mp4", expiry: 10, method: "put" })).toBe("a.mp4?expiry=10&method=put");
  });

  it("refuses an expiry that is not whole Unix seconds", () => {
    expect(() => signPath({ path: "a", expiry: 1.5, method: "get", secret })).toThrow(RangeError);
    expect(() => signPath({ path: "a", expiry: -1, method: "get", secret })).toThrow(RangeError);
  });
});

describe("signedUrl", () => {
  it("builds the URL Ittybit's sample builds, with the path encoded", () => {
    const url = signedUrl({ origin: "https://media.example.com/", path: "example/video.mp4", expiry: future, method: "put", secret });
    const signature = signPath({ path: "example/video.mp4", expiry: future, method: "put", secret });
    expect(url).toBe(`https://media.example.com/example/video.mp4?expiry=${future}&method=put&signature=${signature}`);
    const parsed = new URL(signedUrl({ origin: "https://m.example", path: "dossier/café.mp4", expiry: future, method: "get", secret }));
    expect(parsed.pathname).toBe("/dossier/caf%C3%A9.mp4");
    const result = verifySignature({
      path: decodeURIComponent(parsed.pathname),
      expiry: parsed.searchParams.get("expiry") ?? "",
      method: parsed.searchParams.get("method"),
      signature: parsed.searchParams.get("signature") ?? "",
      secret,
      now,
    });
    expect(result).toEqual({ ok: true });
  });
});

describe("verifySignature", () => {
  const path = "private/video.mp4";
  const withMethod = (method: "get" | "put") => signPath({ path, expiry: future, method, secret });
  const legacy = () => createHmac("sha256", secret).update(`${path}?expiry=${future}`).digest("base64url");

  it("accepts a valid URL with method=get for GET and HEAD", () => {
    expect(verifySignature({ path, expiry: future, method: "get", signature: withMethod("get"), secret, now })).toEqual({ ok: true });
    expect(verifySignature({ path, expiry: String(future), method: "get", requestMethod: "HEAD", signature: withMethod("get"), secret, now })).toEqual({
      ok: true,
    });
  });

  it("accepts a valid method=put URL for PUT", () => {
    expect(verifySignature({ path, expiry: future, method: "put", requestMethod: "PUT", signature: withMethod("put"), secret, now })).toEqual({ ok: true });
  });

  it("accepts the legacy form (no method in the string or the URL)", () => {
    expect(verifySignature({ path, expiry: future, signature: legacy(), secret, now })).toEqual({ ok: true });
    expect(verifySignature({ path, expiry: future, requestMethod: "PUT", signature: legacy(), secret, now })).toEqual({ ok: true });
  });

  it("accepts a URL without method= whose signature covers the request's method", () => {
    expect(verifySignature({ path, expiry: future, method: null, signature: withMethod("get"), secret, now })).toEqual({ ok: true });
    expect(verifySignature({ path, expiry: future, requestMethod: "PUT", signature: withMethod("put"), secret, now })).toEqual({ ok: true });
  });

  it("can refuse the legacy form", () => {
    expect(verifySignature({ path, expiry: future, signature: legacy(), secret, now, allowLegacy: false })).toEqual({ ok: false, reason: "invalid" });
    expect(verifySignature({ path, expiry: future, method: "get", signature: withMethod("get"), secret, now, allowLegacy: false })).toEqual({ ok: true });
  });

  it("rejects an expired URL", () => {
    const signature = signPath({ path, expiry: past, method: "get", secret });
    expect(verifySignature({ path, expiry: past, method: "get", signature, secret, now })).toEqual({ ok: false, reason: "expired" });
    const legacyExpired = createHmac("sha256", secret).update(`${path}?expiry=${past}`).digest("base64url");
    expect(verifySignature({ path, expiry: past, signature: legacyExpired, secret, now })).toEqual({ ok: false, reason: "expired" });
  });

  it("accepts a URL in its last second", () => {
    const edge = Math.floor(now.getTime() / 1000);
    const signature = signPath({ path, expiry: edge, method: "get", secret });
    expect(verifySignature({ path, expiry: edge, method: "get", signature, secret, now })).toEqual({ ok: true });
  });

  it("rejects a tampered path", () => {
    expect(verifySignature({ path: "private/other.mp4", expiry: future, method: "get", signature: withMethod("get"), secret, now })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(verifySignature({ path: "private/video.mp4/..", expiry: future, method: "get", signature: withMethod("get"), secret, now })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("rejects a tampered expiry, including an extended one and a re-spelled one", () => {
    expect(verifySignature({ path, expiry: future + 86400, method: "get", signature: withMethod("get"), secret, now })).toEqual({ ok: false, reason: "invalid" });
    expect(verifySignature({ path, expiry: `0${future}`, method: "get", signature: withMethod("get"), secret, now })).toEqual({ ok: false, reason: "invalid" });
    expect(verifySignature({ path, expiry: `${future}.0`, method: "get", signature: withMethod("get"), secret, now })).toEqual({ ok: false, reason: "invalid" });
    // An expired URL with a forged later expiry is `invalid`, never a hint that only the date is wrong.
    const old = signPath({ path, expiry: past, method: "get", secret });
    expect(verifySignature({ path, expiry: future, method: "get", signature: old, secret, now })).toEqual({ ok: false, reason: "invalid" });
  });

  it("reports a method mismatch for a valid signature used with another method", () => {
    expect(verifySignature({ path, expiry: future, method: "put", requestMethod: "GET", signature: withMethod("put"), secret, now })).toEqual({
      ok: false,
      reason: "method_mismatch",
    });
    expect(verifySignature({ path, expiry: future, method: "get", requestMethod: "PUT", signature: withMethod("get"), secret, now })).toEqual({
      ok: false,
      reason: "method_mismatch",
    });
    // method= stripped from a PUT URL does not turn it into a GET URL.
    expect(verifySignature({ path, expiry: future, requestMethod: "GET", signature: withMethod("put"), secret, now })).toEqual({
      ok: false,
      reason: "method_mismatch",
    });
  });

  it("rejects a method= that was changed after signing", () => {
    expect(verifySignature({ path, expiry: future, method: "put", requestMethod: "PUT", signature: withMethod("get"), secret, now })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("rejects a signature made with another secret, a truncated one, and garbage", () => {
    const other = signPath({ path, expiry: future, method: "get", secret: "another-secret" });
    expect(verifySignature({ path, expiry: future, method: "get", signature: other, secret, now })).toEqual({ ok: false, reason: "invalid" });
    expect(verifySignature({ path, expiry: future, method: "get", signature: withMethod("get").slice(0, 42), secret, now })).toEqual({
      ok: false,
      reason: "invalid",
    });
    for (const garbage of ["", "!!!", "a".repeat(43), "a".repeat(200), `${withMethod("get")}x`]) {
      expect(verifySignature({ path, expiry: future, method: "get", signature: garbage, secret, now })).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("rejects a non-canonical spelling of a valid signature", () => {
    const signature = withMethod("get");
    const last = signature.at(-1) ?? "A";
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // Same 6-bit group except the 2 spare low bits: decodes to identical bytes.
    const sibling = alphabet[(alphabet.indexOf(last) & ~3) | ((alphabet.indexOf(last) + 1) & 3)] ?? "A";
    expect(Buffer.from(`${signature.slice(0, -1)}${sibling}`, "base64url").equals(Buffer.from(signature, "base64url"))).toBe(true);
    expect(verifySignature({ path, expiry: future, method: "get", signature: `${signature.slice(0, -1)}${sibling}`, secret, now })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("rejects an unknown method value", () => {
    expect(verifySignature({ path, expiry: future, method: "GET", signature: withMethod("get"), secret, now })).toEqual({ ok: false, reason: "invalid" });
    expect(verifySignature({ path, expiry: future, method: "patch", signature: withMethod("get"), secret, now })).toEqual({ ok: false, reason: "invalid" });
  });

  it("accepts a padded signature", () => {
    expect(verifySignature({ path, expiry: future, method: "get", signature: `${withMethod("get")}=`, secret, now })).toEqual({ ok: true });
  });
});

describe("projectSigningSecret", () => {
  afterEach(() => resetEnvForTests());

  it("derives a distinct, stable 32-byte key per project", () => {
    const a = projectSigningSecret("prj_a");
    expect(a).toHaveLength(32);
    expect(projectSigningSecret("prj_a").equals(a)).toBe(true);
    expect(projectSigningSecret("prj_b").equals(a)).toBe(false);
  });

  it("changes with the server secret", () => {
    const before = projectSigningSecret("prj_a");
    const saved = process.env.MEDIABIT_SECRET;
    process.env.MEDIABIT_SECRET = "another-server-secret-another-server-secret";
    resetEnvForTests();
    try {
      expect(projectSigningSecret("prj_a").equals(before)).toBe(false);
    } finally {
      process.env.MEDIABIT_SECRET = saved;
      resetEnvForTests();
    }
  });

  it("signs and verifies with the derived key, and another project's key fails", () => {
    const signature = signPath({ path: "a.mp4", expiry: future, method: "get", secret: projectSigningSecret("prj_a") });
    expect(verifySignature({ path: "a.mp4", expiry: future, method: "get", signature, secret: projectSigningSecret("prj_a"), now })).toEqual({ ok: true });
    expect(verifySignature({ path: "a.mp4", expiry: future, method: "get", signature, secret: projectSigningSecret("prj_b"), now })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });
});
