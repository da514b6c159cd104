// Attempt limits kept in the database: per client address (429 with a retry time) and per account (slowed,
// never locked). Runs on PGlite, and on PostgreSQL with DATABASE_URL (there also across two processes).
import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authenticate, registerAccount } from "@/lib/auth/credentials";
import { purgeOldAuthAttempts, RateLimitedError, reserveAddressAttempt } from "@/lib/auth/rate-limit";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { makeOwner, uniqueAddress, uniqueEmail, withSettings } from "./helpers";

const LIMITS = {
  MEDIABIT_AUTH_ADDRESS_LIMIT: "5",
  MEDIABIT_AUTH_ADDRESS_WINDOW_SECONDS: "300",
  MEDIABIT_AUTH_ACCOUNT_LIMIT: "3",
  MEDIABIT_AUTH_ACCOUNT_WINDOW_SECONDS: "900",
  MEDIABIT_AUTH_ACCOUNT_DELAY_MS: "700",
};

beforeEach(() => withSettings(LIMITS));
afterEach(() => withSettings({ ...Object.fromEntries(Object.keys(LIMITS).map((k) => [k, undefined])), MEDIABIT_SIGNUP: undefined }));

async function failTimes(times: number, input: { email: string; address: () => string }): Promise<void> {
  for (let i = 0; i < times; i++) expect(await authenticate({ email: input.email, password: `wrong ${i}`, address: input.address() })).toBeNull();
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe("per-address limit", () => {
  it("refuses the attempt after the limit with rate_limited and a retry time, even with the right password", async () => {
    const { email, password } = await makeOwner();
    const address = uniqueAddress();
    await failTimes(5, { email: uniqueEmail("probe"), address: () => address });
    const refused = await authenticate({ email, password, address }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ code: "rate_limited", status: 429 });
    const retryAfter = (refused as RateLimitedError).retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(290);
    expect(retryAfter).toBeLessThanOrEqual(300);
    // Another address is not affected.
    expect(await authenticate({ email, password, address: uniqueAddress() })).toMatchObject({ email });
  });

  it("lets attempts through again once the window has moved past them", async () => {
    const address = uniqueAddress();
    const prisma = await db();
    const old = new Date(Date.now() - 301_000);
    await prisma.authAttempt.createMany({
      data: Array.from({ length: 5 }, () => ({ id: newId("att"), scope: "address", subject: address, action: "sign_in", createdAt: old })),
    });
    const { email, password } = await makeOwner();
    expect(await authenticate({ email, password, address })).toMatchObject({ email });
  });

  it("does not count successful sign-ins", async () => {
    const { email, password } = await makeOwner();
    const address = uniqueAddress();
    for (let i = 0; i < 8; i++) expect(await authenticate({ email, password, address })).toMatchObject({ email });
    await failTimes(4, { email, address: () => address });
    expect(await authenticate({ email, password, address })).toMatchObject({ email });
  });

  it("a burst of concurrent attempts cannot slip past the limit", async () => {
    const address = uniqueAddress();
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => authenticate({ email: uniqueEmail(`burst${i}`), password: "x", address })));
    const passed = outcomes.filter((o) => o.status === "fulfilled").length;
    const limited = outcomes.filter((o) => o.status === "rejected" && o.reason instanceof RateLimitedError).length;
    expect(passed).toBeLessThanOrEqual(5);
    expect(passed + limited).toBe(12);
  });

  it("counts sign-ups too", async () => {
    withSettings({ MEDIABIT_SIGNUP: "open" });
    const address = uniqueAddress();
    for (let i = 0; i < 5; i++) await registerAccount({ email: uniqueEmail("signup"), password: "long enough pw", address });
    await expect(registerAccount({ email: uniqueEmail("signup"), password: "long enough pw", address })).rejects.toBeInstanceOf(RateLimitedError);
  });
});

describe("per-account slow-down", () => {
  it("delays attempts on an account past its failures, from any address, but the right password still signs in", async () => {
    const { email, password } = await makeOwner();
    const quick = await timed(() => authenticate({ email, password: "wrong", address: uniqueAddress() }));
    expect(quick.ms).toBeLessThan(700);
    await failTimes(2, { email, address: uniqueAddress });
    // Three failures from three addresses (none limited): the account is now past its limit.
    const slowedWrong = await timed(() => authenticate({ email, password: "wrong", address: uniqueAddress() }));
    expect(slowedWrong.value).toBeNull();
    expect(slowedWrong.ms).toBeGreaterThanOrEqual(690);
    const slowedRight = await timed(() => authenticate({ email, password, address: uniqueAddress() }));
    expect(slowedRight.value).toMatchObject({ email });
    expect(slowedRight.ms).toBeGreaterThanOrEqual(690);
    // Another account is not slowed.
    const other = await makeOwner();
    expect((await timed(() => authenticate({ email: other.email, password: other.password, address: uniqueAddress() }))).ms).toBeLessThan(690);
  });

  it("counts an unknown e-mail like a real one, so slowing reveals nothing", async () => {
    const email = uniqueEmail("ghost");
    await failTimes(3, { email, address: uniqueAddress });
    expect((await timed(() => authenticate({ email, password: "x", address: uniqueAddress() }))).ms).toBeGreaterThanOrEqual(690);
  });
});

describe("maintenance", () => {
  it("purges attempts older than the longest window and keeps recent ones", async () => {
    const prisma = await db();
    const subject = uniqueAddress();
    const ancient = { id: newId("att"), scope: "address", subject, action: "sign_in", createdAt: new Date(Date.now() - 901_000) };
    const recent = { id: newId("att"), scope: "address", subject, action: "sign_in", createdAt: new Date(Date.now() - 600_000) };
    await prisma.authAttempt.createMany({ data: [ancient, recent] });
    expect(await purgeOldAuthAttempts()).toBeGreaterThanOrEqual(1);
    const left = await prisma.authAttempt.findMany({ where: { subject }, select: { id: true } });
    expect(left.map((row) => row.id)).toEqual([recent.id]);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("shared by processes (PostgreSQL)", () => {
  it("attempts recorded by another process count here", async () => {
    const address = uniqueAddress();
    const script = `
      import { reserveAddressAttempt } from "@/lib/auth/rate-limit";
      import { closeDb } from "@/lib/db/client";
      for (let i = 0; i < 5; i++) await reserveAddressAttempt(${JSON.stringify(address)}, "sign_in");
      await closeDb();
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, ...LIMITS, TSX_TSCONFIG_PATH: "tsconfig.json" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    const { email, password } = await makeOwner();
    await expect(authenticate({ email, password, address })).rejects.toBeInstanceOf(RateLimitedError);
    await expect(reserveAddressAttempt(address, "sign_up")).rejects.toBeInstanceOf(RateLimitedError);
  });
});
