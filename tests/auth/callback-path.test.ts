// After sign-in only a path on this site is a destination: anything a browser could read as another origin is refused.
import { describe, expect, it } from "vitest";
import { afterSignInPath, loginPathFor, safeCallbackPath } from "@/lib/auth/callback-path";

describe("safeCallbackPath", () => {
  it.each(["/dashboard/keys", "/dashboard/connections?x=1#top", "/invite/inv_abc", "/"])("accepts the same-origin path %s", (path) => {
    expect(safeCallbackPath(path)).toBe(path);
  });

  it.each([
    "//evil.example/x",
    "/\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example/dashboard",
    "http:/evil.example",
    "javascript:alert(1)",
    "dashboard",
    "",
    " /dashboard",
    "/dash\\board",
    "/api/auth/signout",
    `/${"a".repeat(2100)}`,
  ])("refuses %j", (path) => {
    expect(safeCallbackPath(path)).toBeNull();
  });

  it("refuses what is not a string", () => {
    expect(safeCallbackPath(["/dashboard"])).toBeNull();
    expect(safeCallbackPath(undefined)).toBeNull();
  });
});

describe("afterSignInPath", () => {
  it("takes callbackUrl, then next, then the dashboard", () => {
    expect(afterSignInPath("/dashboard/keys", "/dashboard/connections")).toBe("/dashboard/keys");
    expect(afterSignInPath("//evil.example", "/dashboard/connections")).toBe("/dashboard/connections");
    expect(afterSignInPath("//evil.example", "https://evil.example")).toBe("/dashboard");
  });
});

describe("loginPathFor", () => {
  it("carries the wanted page, encoded, and drops one that is not ours", () => {
    expect(loginPathFor("/dashboard/keys?tab=1")).toBe("/login?callbackUrl=%2Fdashboard%2Fkeys%3Ftab%3D1");
    expect(loginPathFor("//evil.example")).toBe("/login");
    expect(loginPathFor(null, { error: "no-project" })).toBe("/login?error=no-project");
  });
});
