import { expect, test, type Page } from "@playwright/test";
import { OWNER, shot, signIn, signInAsOwner, signOut, signUp, uniqueEmail } from "./helpers";

const PHONE = { width: 390, height: 844 };

/** The page at phone width too: nothing may stick out sideways. */
async function shotBoth(page: Page, name: string): Promise<void> {
  await shot(page, name);
  const desktop = page.viewportSize();
  await page.setViewportSize(PHONE);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, `${name}-390`);
  if (desktop) await page.setViewportSize(desktop);
}

test.describe("auth", () => {
  test("the dashboard sends signed-out visitors to sign in, and back to the page they asked for", async ({ page }) => {
    await page.goto("/dashboard/connections?from=e2e");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdashboard%2Fconnections%3Ffrom%3De2e$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await shotBoth(page, "login");
    await signIn(page, OWNER);
    await expect(page).toHaveURL(/\/dashboard\/connections\?from=e2e$/);
    await expect(page.getByRole("heading", { name: "Connections", exact: true })).toBeVisible();
  });

  test("a callbackUrl to another site is ignored: sign-in lands on the dashboard", async ({ page }) => {
    for (const target of ["//evil.example/x", "/\\evil.example", "https://evil.example/"]) {
      await page.context().clearCookies();
      await page.goto(`/login?callbackUrl=${encodeURIComponent(target)}`);
      await signIn(page, OWNER);
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:3100\/dashboard$/);
    }
  });

  test("signing out ends the session: the old cookie no longer opens the dashboard", async ({ page, browser }) => {
    await signInAsOwner(page);
    const cookies = await page.context().cookies();
    expect(cookies.some((c) => c.name.includes("authjs.session-token"))).toBe(true);
    await signOut(page);

    const replay = await browser.newContext();
    await replay.addCookies(cookies);
    const stale = await replay.newPage();
    await stale.goto("/dashboard");
    await expect(stale).toHaveURL(/\/login/);
    await replay.close();
  });

  test("sign-up explains a short password and a taken email", async ({ page }) => {
    const email = uniqueEmail("taken");
    await page.goto("/signup");
    await shotBoth(page, "signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator('[data-field-error="password"]')).toHaveText("Use at least 8 characters");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator('[data-field-error="email"]')).toHaveText("Enter an e-mail address such as ana@example.com");
    await shotBoth(page, "signup-errors");

    await signUp(page, { name: "Taken Example", email, password: "correct horse battery" });
    await signOut(page);

    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("another long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator('[data-field-error="email"]')).toContainText("An account with this email already exists");
    await shot(page, "signup-email-taken");
  });

  test("an invitation link that cannot be used is explained instead of a form", async ({ page }) => {
    await page.goto("/signup?invitation=inv_0000000000000000000000000000000000000000");
    await expect(page.getByRole("heading", { name: "This invitation can no longer be used" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Create account" })).toHaveCount(0);
    await shotBoth(page, "signup-invitation-invalid");
  });

  test("sign-in rejects a wrong password, then accepts the right one", async ({ page }) => {
    const email = uniqueEmail("signin");
    const password = "a sturdy passphrase";
    await signUp(page, { email, password });
    await signOut(page);

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("not the passphrase");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("[data-form-error]")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/login$/);
    await shotBoth(page, "login-wrong-password");

    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("button", { name: "Account" })).toContainText(email);
    // A signed-in visit to /login goes straight back to the dashboard.
    await page.goto("/login");
    await expect(page).toHaveURL(/\/dashboard$/);
  });

  test("changing the password keeps this session, ends the others, and the new password signs in", async ({ page, browser }) => {
    const email = uniqueEmail("change");
    await signUp(page, { email, password: "first passphrase" });
    const otherDevice = await browser.newContext();
    await otherDevice.addCookies(await page.context().cookies());

    await page.getByRole("button", { name: "Account" }).click();
    await page.getByRole("menuitem", { name: "Account and password" }).click();
    await expect(page).toHaveURL(/\/dashboard\/account$/);
    await page.getByLabel("Current password").fill("not it");
    await page.getByLabel("New password", { exact: true }).fill("second passphrase");
    await page.getByLabel("Repeat new password").fill("second passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.locator('[data-field-error="currentPassword"]')).toHaveText("This is not your current password");
    await page.getByLabel("Current password").fill("first passphrase");
    await page.getByLabel("New password", { exact: true }).fill("second passphrase");
    await page.getByLabel("Repeat new password").fill("second passphrase typo");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.locator('[data-field-error="confirmPassword"]')).toHaveText("Type the same new password twice");
    await page.getByLabel("Repeat new password").fill("second passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.locator("[data-form-notice]")).toContainText("Password changed");
    await shotBoth(page, "account-password-changed");

    // This browser is still signed in; the other one is not.
    await page.reload();
    await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
    const other = await otherDevice.newPage();
    await other.goto("/dashboard/account");
    await expect(other).toHaveURL(/\/login\?callbackUrl=%2Fdashboard%2Faccount$/);
    await otherDevice.close();

    await signOut(page);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("first passphrase");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("[data-form-error]")).toHaveText("Wrong email or password.");
    await page.getByLabel("Password").fill("second passphrase");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });
});
