// What a new team hit on the first dashboard pages, fixed: the Verified mark follows the latest test, a failed test
// says what happened, a blocked endpoint is refused on save, project names are unique, validation is in plain words,
// closing a dialog returns focus to what opened it, and a wrong address has a way back.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { S3, signUp, uniqueEmail } from "./helpers";

const connectionRow = (page: Page, name: string): Locator => page.locator(`[data-testid="connection-row"][data-connection-name="${name}"]`);

async function fillConnection(dialog: Locator, values: { name?: string; endpoint?: string; bucket?: string; accessKeyId?: string; secret?: string }) {
  if (values.name !== undefined) await dialog.getByLabel("Name").fill(values.name);
  if (values.endpoint !== undefined) await dialog.getByLabel("Endpoint").fill(values.endpoint);
  if (values.bucket !== undefined) await dialog.getByLabel("Bucket").fill(values.bucket);
  if (values.accessKeyId !== undefined) await dialog.getByLabel("Access key ID").fill(values.accessKeyId);
  if (values.secret !== undefined) await dialog.getByLabel("Secret access key").fill(values.secret);
}

async function editConnection(page: Page, name: string, values: Parameters<typeof fillConnection>[1]): Promise<Locator> {
  await connectionRow(page, name).getByRole("button", { name: `Edit ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Edit ${name}` });
  await fillConnection(dialog, values);
  await dialog.getByRole("button", { name: "Save changes" }).click();
  return dialog;
}

async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

test("a connection's Verified mark and test failures say what actually happened", async ({ page }) => {
  await signUp(page, { name: "Vera Fy", email: uniqueEmail("verify"), password: "verify passphrase 1" });
  await page.goto("/dashboard/connections");

  await test.step("an endpoint the address policy blocks is refused on save, naming the setting", async () => {
    await page.getByRole("button", { name: "Add connection" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add connection" });
    // 127.0.0.2 is loopback, and not on this server's allow list (127.0.0.1, localhost).
    await fillConnection(dialog, { name: "Blocked", endpoint: "http://127.0.0.2:4569", bucket: "media", accessKeyId: S3.accessKeyId, secret: S3.secretAccessKey });
    await dialog.getByRole("button", { name: "Add connection" }).click();
    const error = dialog.locator('[data-field-error="endpoint"]');
    await expect(error).toContainText("address policy");
    await expect(error).toContainText("loopback address");
    await expect(error).toContainText("MEDIABIT_ALLOW_PRIVATE_HOSTS");
    await page.screenshot({ path: "test-results/screenshots/fixes-connection-blocked.png" });

    await test.step("validation shows plain words, not zod's", async () => {
      await fillConnection(dialog, { endpoint: S3.endpoint, accessKeyId: "A".repeat(300) });
      await dialog.getByRole("button", { name: "Add connection" }).click();
      const keyError = dialog.locator('[data-field-error="access_key_id"]');
      await expect(keyError).toHaveText(/use at most 256 characters/i);
      await expect(dialog).not.toContainText("Too big");
      await expect(dialog).not.toContainText("expected string");
    });

    await fillConnection(dialog, { accessKeyId: S3.accessKeyId });
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog).toBeHidden();
  });

  const row = connectionRow(page, "Blocked");
  const verified = row.getByTestId("connection-verified");
  const result = row.getByTestId("test-result");

  await test.step("a passing test marks it verified; a bucket change clears the mark", async () => {
    await row.getByRole("button", { name: "Test", exact: true }).click();
    await expect(result).toHaveAttribute("data-ok", "true");
    await expect(verified).not.toContainText("Not verified");
    await expect(await editConnection(page, "Blocked", { bucket: "no-such-bucket" })).toBeHidden();
    await expect(verified).toHaveText("Not verified");
  });

  await test.step("a failed test names the missing bucket and leaves it unverified", async () => {
    await row.getByRole("button", { name: "Test", exact: true }).click();
    await expect(result).toHaveAttribute("data-failure", "no_such_bucket");
    await expect(result).toContainText("Test failed: No such bucket");
    await expect(result).not.toContainText("answered with an error");
    await expect(verified).toHaveText("Not verified");
  });

  await test.step("a test after a passing one that fails clears the mark", async () => {
    await expect(await editConnection(page, "Blocked", { bucket: "media" })).toBeHidden();
    await row.getByRole("button", { name: "Test", exact: true }).click();
    await expect(result).toHaveAttribute("data-ok", "true");
    await expect(verified).not.toContainText("Not verified");
    // Nothing listens on port 9 of this machine: the test is refused, and the mark goes.
    await expect(await editConnection(page, "Blocked", { name: "Refused", endpoint: "http://127.0.0.1:9" })).toBeHidden();
    const refused = connectionRow(page, "Refused");
    await refused.getByRole("button", { name: "Test", exact: true }).click();
    await expect(refused.getByTestId("test-result")).toHaveAttribute("data-failure", "refused");
    await expect(refused.getByTestId("test-result")).toContainText("Connection refused");
    await expect(refused.getByTestId("connection-verified")).toHaveText("Not verified");
    await page.screenshot({ path: "test-results/screenshots/fixes-connection-refused.png", fullPage: true });
  });

  await expectNoSeriousA11yViolations(page);
});

test("project names are unique in an organisation, with the error on the field", async ({ page }) => {
  await signUp(page, { email: uniqueEmail("names"), password: "names passphrase 1" });
  const switcher = page.getByTestId("project-switcher");
  await expect(switcher).toContainText("Default");
  await switcher.click();
  await page.getByRole("menuitem", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByLabel("Project name").fill("default");
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(dialog.locator('[data-field-error="name"]')).toContainText("Another project in this organisation has this name");
  await page.screenshot({ path: "test-results/screenshots/fixes-project-name-taken.png" });

  await test.step("cancelling returns focus to the project switcher", async () => {
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await expect(switcher).toBeFocused();
  });

  await test.step("renaming to a taken name is refused on the settings page too", async () => {
    await switcher.click();
    await page.getByRole("menuitem", { name: "New project" }).click();
    await dialog.getByLabel("Project name").fill("Staging");
    await dialog.getByRole("button", { name: "Create project" }).click();
    await expect(switcher).toContainText("Staging");
    await page.goto("/dashboard/settings");
    const form = page.locator("form").filter({ has: page.getByLabel("Project name") });
    await form.getByLabel("Project name").fill("DEFAULT");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.locator('[data-field-error="name"]')).toContainText("Another project in this organisation has this name");
  });
});

test("closing a dialog returns focus to what opened it", async ({ page }) => {
  await signUp(page, { email: uniqueEmail("focus"), password: "focus passphrase 1" });
  await page.goto("/dashboard/keys");
  for (const [index, name] of ["First", "Second"].entries()) {
    await page.getByRole("button", { name: "Create key" }).first().click();
    const create = page.getByRole("dialog", { name: "Create API key" });
    await create.getByLabel("Name").fill(name);
    await create.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("dialog", { name: "Save your API key" }).getByRole("button", { name: "I've saved the key" }).click();
    await expect(page.getByRole("button", { name: "Create key" }).first()).toBeFocused();
    // The list has refreshed (the empty state's own button is gone) before the next dialog opens.
    await expect(page.getByTestId("key-row")).toHaveCount(index + 1);
  }
  const revoke = page.getByTestId("key-row").filter({ hasText: "First" }).getByRole("button", { name: "Revoke" });

  await revoke.click();
  await page.getByRole("dialog", { name: "Revoke API key" }).getByRole("button", { name: "Cancel" }).click();
  await expect(revoke).toBeFocused();

  await revoke.focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
  await expect(revoke).toBeFocused();

  // Revoked, the button is gone: focus goes to the key's row, never to <body>.
  await revoke.click();
  await page.getByRole("dialog", { name: "Revoke API key" }).getByRole("button", { name: "Revoke key" }).click();
  const row = page.getByTestId("key-row").filter({ hasText: "First" });
  await expect(row.getByTestId("key-status")).toHaveText("Revoked");
  await expect(row).toBeFocused();
});

test("a wrong address says so and leads back", async ({ page }) => {
  await signUp(page, { email: uniqueEmail("lost"), password: "lost passphrase 1" });

  await page.goto("/dashboard/keys/nothing-here");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.getByRole("navigation", { name: "Dashboard" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/fixes-dashboard-404.png" });
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("link", { name: "Back to the overview" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await page.screenshot({ path: `test-results/screenshots/fixes-404-${width}.png`, fullPage: true });
  }
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("link", { name: "Go to the dashboard" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});
