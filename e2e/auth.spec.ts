import { expect, test } from "@playwright/test";
import { shot, signOut, signUp, uniqueEmail } from "./helpers";

test.describe("auth", () => {
  test("the dashboard sends signed-out visitors to sign in", async ({ page }) => {
    await page.goto("/dashboard/keys");
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await shot(page, "login");
  });

  test("sign-up explains a short password and a taken email", async ({ page }) => {
    const email = uniqueEmail("taken");
    await page.goto("/signup");
    await shot(page, "signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator('[data-field-error="password"]')).toHaveText("Use at least 8 characters");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator('[data-field-error="email"]')).toHaveText("Enter a valid email address");
    await shot(page, "signup-errors");

    await signUp(page, { name: "Taken Example", email, password: "correct horse battery" });
    await signOut(page);

    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("another long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator('[data-field-error="email"]')).toContainText("An account with this email already exists");
    await shot(page, "signup-email-taken");
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
    await shot(page, "login-wrong-password");

    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("button", { name: "Account" })).toContainText(email);
    // A signed-in visit to /login goes straight back to the dashboard.
    await page.goto("/login");
    await expect(page).toHaveURL(/\/dashboard$/);
  });
});
