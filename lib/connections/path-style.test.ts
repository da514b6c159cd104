import { describe, expect, it } from "vitest";
import { defaultForcePathStyle } from "@/lib/connections/path-style";

describe("defaultForcePathStyle", () => {
  it("is virtual-hosted for AWS's own hosts and path-style for every other or unparsable endpoint", () => {
    expect(defaultForcePathStyle("https://s3.us-east-1.amazonaws.com")).toBe(false);
    expect(defaultForcePathStyle("  https://s3.eu-west-2.amazonaws.com ")).toBe(false);
    expect(defaultForcePathStyle("https://abc.r2.cloudflarestorage.com")).toBe(true);
    expect(defaultForcePathStyle("http://127.0.0.1:9000")).toBe(true);
    expect(defaultForcePathStyle("not a url")).toBe(true);
    expect(defaultForcePathStyle("")).toBe(true);
  });
});
