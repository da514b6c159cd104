// API keys in Chromium: pause a key (the API answers 401 "paused") and enable it again (200), from the keys page.
import { expect, test } from "@playwright/test";
import { shot, signUp, uniqueEmail } from "./helpers";

test("an owner pauses and re-enables an API key from the dashboard", async ({ page, request }) => {
  await signUp(page, { name: "Kay Pause", email: uniqueEmail("keys"), password: "pause passphrase 1" });
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill("Pausable");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Save your API key" });
  const secret = (await shown.getByTestId("new-key-secret").textContent()) ?? "";
  await shown.getByRole("button", { name: "I've saved the key" }).click();
  const row = page.getByTestId("key-row").filter({ hasText: "Pausable" });
  // The listing shows the generated prefix and 4 characters, no more.
  await expect(row).toContainText(`${secret.slice(0, 17)}…`);
  await expect(row).not.toContainText(secret.slice(0, 18));
  const api = (key: string) => request.get("/api/connections", { headers: { Authorization: `Bearer ${key}` } });
  expect((await api(secret)).status()).toBe(200);

  await row.getByRole("button", { name: "Pause" }).click();
  await expect(row.getByTestId("key-status")).toHaveText("Paused");
  const paused = await api(secret);
  expect(paused.status()).toBe(401);
  expect(await paused.text()).toContain("paused");
  await shot(page, "keys-paused");

  await row.getByRole("button", { name: "Enable" }).click();
  await expect(row.getByTestId("key-status")).toHaveText("Active");
  expect((await api(secret)).status()).toBe(200);
});
