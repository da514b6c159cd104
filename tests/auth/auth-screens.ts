// On demand (after `next build`, PostgreSQL on loopback): screenshots of the sign-in, sign-up and account pages
// under each sign-up policy, at 1440 and 390 px, into test-results/auth-screens/. For reviewing the pages by eye.
//   npx tsx tests/auth/auth-screens.ts
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";
import pg from "pg";
import { createTestDatabase } from "../helpers/postgres";
import { startBuiltServer } from "./built-server";

const OUT = "test-results/auth-screens";
const OWNER = { email: "owner@screens.test", password: "screens owner passphrase" };

async function invite(databaseUrl: string, email: string): Promise<string> {
  const token = `inv_${randomBytes(30).toString("base64url").replace(/[^0-9A-Za-z]/g, "").padEnd(40, "a").slice(0, 40)}`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ org_id: string }>("SELECT org_id FROM projects ORDER BY created_at LIMIT 1");
  await client.query("INSERT INTO invitations (id, org_id, email, role, token_hash, expires_at) VALUES ($1, $2, $3, 'member', $4, now() + interval '7 days')", [
    `inv_${randomBytes(8).toString("hex")}`,
    rows[0]?.org_id,
    email,
    createHash("sha256").update(token).digest("hex"),
  ]);
  await client.end();
  return token;
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) console.log(`  ! ${name} at ${width}px is ${overflow}px wider than the window`);
    await page.screenshot({ path: `${OUT}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
let port = 3295;
for (const policy of ["invite", "open", "closed"] as const) {
  const databaseUrl = await createTestDatabase("auth_screens");
  const server = await startBuiltServer(port++, { DATABASE_URL: databaseUrl, MEDIABIT_SIGNUP: policy, MEDIABIT_BOOTSTRAP_EMAIL: OWNER.email, MEDIABIT_BOOTSTRAP_PASSWORD: OWNER.password, MEDIABIT_WORKER: "off" });
  const context = await browser.newContext({ baseURL: server.origin });
  const page = await context.newPage();
  try {
    await page.goto("/login");
    await shoot(page, `${policy}-login`);
    await page.goto("/signup");
    await shoot(page, `${policy}-signup`);
    if (policy !== "closed") {
      await page.goto(`/signup?invitation=${await invite(databaseUrl, "new.person@screens.test")}`);
      await shoot(page, `${policy}-signup-invited`);
      await page.getByLabel("Password").fill("short");
      await page.getByRole("button", { name: /Create account/ }).click();
      await page.locator('[data-field-error="password"]').waitFor();
      await shoot(page, `${policy}-signup-invited-error`);
      await page.goto("/signup?invitation=inv_0000000000000000000000000000000000000000");
      await shoot(page, `${policy}-signup-invitation-used`);
    }
    if (policy === "invite") {
      await page.goto("/login?notice=password-changed");
      await shoot(page, "login-password-changed");
      await page.goto("/login");
      await page.getByLabel("Email").fill(OWNER.email);
      await page.getByLabel("Password").fill("wrong");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator("[data-form-error]").waitFor();
      await shoot(page, "login-wrong-password");
      await page.getByLabel("Password").fill(OWNER.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/dashboard$/);
      await page.getByRole("button", { name: "Account" }).click();
      await shoot(page, "user-menu");
      await page.getByRole("menuitem", { name: "Account and password" }).click();
      await page.waitForURL(/\/dashboard\/account$/);
      await shoot(page, "account");
      await page.getByLabel("Current password").fill("wrong");
      await page.getByLabel("New password", { exact: true }).fill("new passphrase");
      await page.getByLabel("Repeat new password").fill("new passphrase!");
      await page.getByRole("button", { name: "Change password" }).click();
      await page.locator("[data-field-error]").first().waitFor();
      await shoot(page, "account-errors");
    }
    console.log(`${policy}: done`);
  } finally {
    await context.close();
    server.stop();
  }
}
await browser.close();
