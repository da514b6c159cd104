// The auth contract through the real HTTP stack of a production build: security headers, the redirect to sign
// in and back, sessions ending at sign-out, the credentials endpoint's 429, dashboard actions checking the
// session before their arguments. (/api/health under a flood of wrong sign-ins is measured on demand by
// bench/signin-flood.ts: other test files running beside this one would make that figure meaningless.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, hasSession, isBuilt, postCredentials, postServerAction, startBuiltServer, type Server } from "./built-server";

const OWNER = { email: "owner@server.test", password: "server owner passphrase" };
const KEY = "ittybit_test_auth_server_key_0123456789";
const ADDRESS_LIMIT = 3;

let server: Server;
let origin = "";

beforeAll(async () => {
  if (!isBuilt) return;
  server = await startBuiltServer(0, {
    MEDIABIT_BOOTSTRAP_EMAIL: OWNER.email,
    MEDIABIT_BOOTSTRAP_PASSWORD: OWNER.password,
    MEDIABIT_BOOTSTRAP_KEY: KEY,
    // Addresses come from X-Forwarded-For, so the tests can act as many clients.
    MEDIABIT_TRUST_PROXY: "1",
    MEDIABIT_AUTH_ADDRESS_LIMIT: String(ADDRESS_LIMIT),
    MEDIABIT_AUTH_ACCOUNT_DELAY_MS: "1000",
  });
  origin = server.origin;
}, 120_000);

afterAll(() => server?.stop());

let addressCounter = 0;
/** A client address nobody else in this file uses. */
const freshAddress = () => `203.0.113.${++addressCounter}`;

async function signedIn(): Promise<CookieJar> {
  const { response, jar } = await postCredentials(origin, { ...OWNER, forwardedFor: freshAddress() });
  expect(response.status).toBe(302);
  expect(hasSession(jar)).toBe(true);
  return jar;
}

async function sessionEmail(jar: CookieJar): Promise<string | null> {
  const response = await fetch(`${origin}/api/auth/session`, { headers: { cookie: jar.header() } });
  const body = (await response.json()) as { user?: { email?: string } } | null;
  return body?.user?.email ?? null;
}

async function callAction(page: string, action: { file: string; name: string }, args: unknown[], init: { jar?: CookieJar; forwardedFor?: string } = {}) {
  const headers: Record<string, string> = init.forwardedFor ? { "X-Forwarded-For": init.forwardedFor } : {};
  const response = await postServerAction(origin, page, action, args, { jar: init.jar, headers });
  return { status: response.status, text: await response.text() };
}

describe.skipIf(!isBuilt)("auth over HTTP (next start)", () => {
  it("sign-in, sign-up and dashboard pages carry the security headers", async () => {
    const jar = await signedIn();
    for (const [page, cookie] of [["/login", ""], ["/signup", ""], ["/dashboard", jar.header()], ["/dashboard/account", jar.header()]] as const) {
      const response = await fetch(`${origin}${page}`, { headers: { cookie }, redirect: "manual" });
      expect(response.status, page).toBe(200);
      expect(response.headers.get("content-security-policy"), page).toBe("frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options"), page).toBe("DENY");
      expect(response.headers.get("x-content-type-options"), page).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), page).toBe("strict-origin-when-cross-origin");
    }
  });

  it("a signed-out visit to a dashboard page is sent to sign in, carrying the page to return to", async () => {
    const response = await fetch(`${origin}/dashboard/keys?tab=all`, { redirect: "manual" });
    expect(response.status).toBe(307);
    expect(new URL(response.headers.get("location") ?? "", origin).pathname + new URL(response.headers.get("location") ?? "", origin).search).toBe(
      "/login?callbackUrl=%2Fdashboard%2Fkeys%3Ftab%3Dall",
    );
  });

  it("signing out ends every session of that person, and a replayed cookie opens nothing", async () => {
    const laptop = await signedIn();
    const phone = await signedIn();
    const laptopBefore = laptop.clone();
    expect(await sessionEmail(laptop)).toBe(OWNER.email);
    expect(await sessionEmail(phone)).toBe(OWNER.email);

    const csrf = await fetch(`${origin}/api/auth/csrf`, { headers: { cookie: laptop.header() } });
    laptop.take(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const out = await fetch(`${origin}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", cookie: laptop.header() },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${origin}/login` }),
    });
    expect(out.status).toBe(302);

    expect(await sessionEmail(laptopBefore)).toBeNull();
    expect(await sessionEmail(phone)).toBeNull();
    const page = await fetch(`${origin}/dashboard/account`, { headers: { cookie: laptopBefore.header() }, redirect: "manual" });
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/login?callbackUrl=%2Fdashboard%2Faccount");
    // A fresh sign-in works again.
    expect(await sessionEmail(await signedIn())).toBe(OWNER.email);
  });

  it("the credentials endpoint answers 429 with Retry-After past the address limit; other addresses still sign in", async () => {
    const address = freshAddress();
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      const { response } = await postCredentials(origin, { email: OWNER.email, password: `wrong ${i}`, forwardedFor: address });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toContain("error=CredentialsSignin");
    }
    const { response: limited, jar } = await postCredentials(origin, { ...OWNER, forwardedFor: address });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
    expect(hasSession(jar)).toBe(false);
    // The sign-in form's server action is held to the same limit.
    const form = await callAction("/login", { file: "lib/dashboard/actions/auth.ts", name: "signInAction" }, [{ ...OWNER, callbackUrl: "/dashboard" }], { forwardedFor: address });
    expect(form.text).toContain("Too many attempts");
    const { response: elsewhere, jar: other } = await postCredentials(origin, { ...OWNER, forwardedFor: freshAddress() });
    expect(elsewhere.status).toBe(302);
    expect(hasSession(other)).toBe(true);
  });

  it("dashboard actions check the session before their arguments, and never crash on malformed ones", async () => {
    const create = { file: "lib/dashboard/actions/connections.ts", name: "createConnectionAction" };
    const remove = { file: "lib/dashboard/actions/connections.ts", name: "deleteConnectionAction" };
    for (const args of [[], [null], [{ projectId: 5 }], [{ values: "x" }]]) {
      const anonymous = await callAction("/dashboard/connections", create, args);
      expect(anonymous.status, JSON.stringify(args)).toBe(200);
      expect(anonymous.text).toContain("Your session has ended");
    }
    const jar = await signedIn();
    const projects = await fetch(`${origin}/api/projects`, { headers: { Authorization: `Bearer ${KEY}` } });
    const projectId = /prj_[0-9A-Za-z]+/.exec(await projects.text())?.[0];
    expect(projectId).toBeDefined();
    const malformed = await callAction("/dashboard/connections", create, [{ projectId, values: 5 }], { jar });
    expect(malformed.status).toBe(200);
    expect(malformed.text).toContain("Check the highlighted fields");
    const foreign = await callAction("/dashboard/connections", remove, [{ projectId: "prj_notyours", connectionId: "con_x" }], { jar });
    expect(foreign.text).toContain("no longer a member");
  });
});
