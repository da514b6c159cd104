// With a database that refuses connections (nothing listens on loopback port 9), the surfaces other than the API
// say "unavailable, retry" instead of failing with a 500 or a crash: file delivery answers 503 with Retry-After in
// its own plain shape, a dashboard action's form result says the database is unavailable. Runs in both suites.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/db/unavailable";
import { CONNECT_TIMEOUT_MS, closeDb, db } from "@/lib/db/client";
import { actionFailure, DATABASE_UNAVAILABLE } from "@/lib/dashboard/action-result";
import { deliver } from "@/lib/delivery/deliver";
import { resetEnvForTests } from "@/lib/env";

const REFUSED_URL = "postgresql://postgres@127.0.0.1:9/none";

describe("a database that refuses connections", () => {
  const originalUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    await closeDb();
    process.env.DATABASE_URL = REFUSED_URL;
    resetEnvForTests();
  });

  afterAll(async () => {
    await closeDb();
    if (originalUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = originalUrl;
    resetEnvForTests();
  });

  it("GET /f/{alias}/{path} answers 503 with Retry-After and its own error shape, within the connect timeout", async () => {
    const started = Date.now();
    const response = await deliver(new Request("http://localhost/f/some-alias/videos/clip.mp4"), "some-alias", ["videos", "clip.mp4"]);
    expect(Date.now() - started).toBeLessThan(CONNECT_TIMEOUT_MS + 1_000);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ kind: "service_unavailable", message: expect.stringMatching(/retry/i) });
  });

  it("HEAD /f/{alias}/{path} answers 503 too", async () => {
    const response = await deliver(new Request("http://localhost/f/some-alias/a.jpg", { method: "HEAD" }), "some-alias", ["a.jpg"]);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  });

  it("a dashboard action's failure becomes 'the database is unavailable, try again shortly', not a generic error", async () => {
    // What a projectAction/userAction's withSession catches when its first query cannot connect.
    const error = await db().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeDefined();
    const result = actionFailure(error);
    expect(result).toEqual({ ok: false, error: DATABASE_UNAVAILABLE, fieldErrors: {} });
    expect(result.error).toMatch(/database is unavailable.*try again shortly/i);
    // Anything else is still the generic failure.
    expect(actionFailure(new Error("boom")).error).not.toBe(DATABASE_UNAVAILABLE);
  });
});
