import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyTestFailure } from "@/lib/connections/test-failure";
import { verifyS3Access, type VerifyResult } from "@/lib/storage/verify";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";

let s3: S3TestServer;
let closedPort: number;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ["media"] });
  // A port that was just free: nothing listens there, so connecting is refused.
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => {
  await s3.close();
});

async function failedTest(endpoint: string, bucket: string | null, accessKeyId = s3.accessKeyId) {
  const result = await verifyS3Access({ endpoint, region: "auto", accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true }, bucket);
  if (result.ok) throw new Error(`expected the test of ${endpoint} to fail`);
  return classifyTestFailure(result);
}

describe("classifyTestFailure", () => {
  it("names a refused connection", async () => {
    expect((await failedTest(`http://127.0.0.1:${closedPort}`, "media")).kind).toBe("refused");
  });

  it("names the address policy and its setting for a blocked address", async () => {
    // The test environment allows 127.0.0.1 only; 127.0.0.2 is loopback too, and blocked.
    const failure = await failedTest(`http://127.0.0.2:${s3.port}`, "media");
    expect(failure.kind).toBe("blocked");
    expect(failure.hint).toContain("MEDIABIT_ALLOW_PRIVATE_HOSTS");
  });

  it("names a host that does not resolve", async () => {
    expect((await failedTest("http://no-such-host.invalid", "media")).kind).toBe("dns");
  });

  it("names a missing bucket", async () => {
    expect((await failedTest(s3.endpoint, "no-such-bucket")).kind).toBe("no_such_bucket");
  });

  it("names rejected credentials", async () => {
    expect((await failedTest(s3.endpoint, "media", "NOT-A-KEY")).kind).toBe("bad_credentials");
  });

  it("names a timeout, access denied and any other HTTP status", () => {
    const failed = (fields: Omit<Extract<VerifyResult, { ok: false }>, "ok">) => classifyTestFailure({ ok: false, ...fields });
    expect(failed({ message: "The operation was aborted due to timeout", code: "TimeoutError" }).kind).toBe("timed_out");
    expect(failed({ message: "AccessDenied (HTTP 403): Access Denied", code: "AccessDenied", status: 403 })).toMatchObject({ kind: "access_denied" });
    expect(failed({ message: "InternalError (HTTP 500): boom", code: "InternalError", status: 500 }).title).toContain("HTTP 500");
    expect(failed({ message: "socket hang up", code: "ECONNRESET" }).kind).toBe("network");
  });
});
