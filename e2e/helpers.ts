// Shared steps for the dashboard e2e tests: unique accounts, sign-up through the UI, screenshots.
import { expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";

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

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}
