// Shared steps for the dashboard e2e tests: unique accounts, sign-up and sign-in through the UI, screenshots.
import { expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { OWNER } from "./owner";

export { OWNER };

export const S3 = { endpoint: "http://127.0.0.1:4569", accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString("hex")}@example.test`;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** Signs up through /signup and waits for the dashboard. */
export async function signUp(page: Page, account: { name?: string; email: string; password: string }): Promise<void> {
  await page.goto("/signup");
  if (account.name) await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("navigation", { name: "Dashboard" })).toBeVisible();
}

/** Signs in through /login (wherever the page is sent after) and waits until the form is gone. */
export async function signIn(page: Page, account: { email: string; password: string }, path = "/login"): Promise<void> {
  if (!page.url().includes("/login")) await page.goto(path);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Signs in as the bootstrap organisation's owner and waits for the dashboard. */
export async function signInAsOwner(page: Page): Promise<void> {
  await signIn(page, OWNER);
  await expect(page.getByRole("navigation", { name: "Dashboard" })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}
