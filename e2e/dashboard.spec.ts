import { expect, test, type Locator, type Page } from "@playwright/test";
import { S3, shot, signUp, uniqueEmail } from "./helpers";

const openNav = (page: Page, label: string): Promise<void> =>
  page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: label }).click();

const connectionRow = (page: Page, name: string): Locator => page.locator(`[data-testid="connection-row"][data-connection-name="${name}"]`);

async function addConnection(page: Page, values: { name: string; bucket?: string; endpoint?: string }): Promise<void> {
  await page.getByRole("button", { name: "Add connection" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add connection" });
  await dialog.getByLabel("Name").fill(values.name);
  await dialog.getByLabel("Endpoint").fill(values.endpoint ?? S3.endpoint);
  if (values.bucket) await dialog.getByLabel("Bucket").fill(values.bucket);
  await dialog.getByLabel("Access key ID").fill(S3.accessKeyId);
  await dialog.getByLabel("Secret access key").fill(S3.secretAccessKey);
  await dialog.getByRole("button", { name: "Add connection" }).click();
}

test.beforeAll(async () => {
  // One known object, so a successful test must show a real listing of the "media" bucket.
  // s3rver accepts unsigned requests, so a plain PUT seeds it without an S3 client.
  const response = await fetch(`${S3.endpoint}/media/welcome/hello.txt`, { method: "PUT", body: "hello from e2e", headers: { "Content-Type": "text/plain" } });
  expect(response.status).toBe(200);
});

test("API keys and connections: create, use, test, change default, edit, delete, revoke", async ({ page, request }) => {
  await signUp(page, { name: "Dana Flow", email: uniqueEmail("flow"), password: "flow passphrase 1" });
  await expect(page.getByTestId("key-count")).toHaveText("0");
  await expect(page.getByTestId("api-base-url")).toHaveText("http://127.0.0.1:3100/api");
  await shot(page, "overview-empty");

  let secret = "";
  await test.step("create an API key and see its secret once", async () => {
    await openNav(page, "API keys");
    await expect(page.getByText("No API keys yet")).toBeVisible();
    await shot(page, "keys-empty");

    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create API key" });
    await dialog.getByRole("button", { name: "Create key" }).click();
    await expect(dialog.locator('[data-field-error="name"]')).toContainText("Name the key");
    await dialog.getByLabel("Name").fill("CI server");
    await dialog.getByRole("button", { name: "Create key" }).click();

    const shown = page.getByRole("dialog", { name: "Save your API key" });
    await expect(shown.getByText("This is the only time the secret is shown")).toBeVisible();
    secret = (await shown.getByTestId("new-key-secret").textContent()) ?? "";
    expect(secret).toMatch(/^ittybit_live_[0-9A-Za-z]{40}$/);
    await shot(page, "keys-secret-once");
    // Escape must not throw the only copy of the secret away.
    await page.keyboard.press("Escape");
    await expect(shown).toBeVisible();
    await shown.getByRole("button", { name: "I've saved the key" }).click();
    await expect(shown).toBeHidden();

    const row = page.getByTestId("key-row").filter({ hasText: "CI server" });
    await expect(row.getByTestId("key-last-used")).toHaveText("Never");
    await expect(row.getByTestId("key-status")).toHaveText("Active");
    await expect(row).toContainText(secret.slice(0, 17));
  });

  await test.step("the key works against the API, and its secret is never shown again", async () => {
    const response = await request.get("/api/connections", { headers: { Authorization: `Bearer ${secret}` } });
    expect(response.status()).toBe(200);
    await page.reload();
    const row = page.getByTestId("key-row").filter({ hasText: "CI server" });
    await expect(row.getByTestId("key-last-used")).not.toHaveText("Never");
    expect(await page.content()).not.toContain(secret);
    await shot(page, "keys-list");
  });

  await test.step("add two connections; the first becomes the default", async () => {
    await openNav(page, "Connections");
    await expect(page.getByText("No connections yet")).toBeVisible();
    await shot(page, "connections-empty");

    // A field-level error comes back from the shared zod schema.
    await page.getByRole("button", { name: "Add connection" }).click();
    const dialog = page.getByRole("dialog", { name: "Add connection" });
    await dialog.getByLabel("Endpoint").fill("ftp://example.com");
    await dialog.getByLabel("Access key ID").fill(S3.accessKeyId);
    await dialog.getByLabel("Secret access key").fill(S3.secretAccessKey);
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog.locator('[data-field-error="endpoint"]')).toContainText("Must be an http(s) URL");
    await shot(page, "connections-form-error");
    await dialog.getByRole("button", { name: "Cancel" }).click();

    await addConnection(page, { name: "Media bucket", bucket: "media" });
    await expect(connectionRow(page, "Media bucket")).toBeVisible();
    await addConnection(page, { name: "Archive bucket", bucket: "archive" });
    await expect(connectionRow(page, "Archive bucket")).toBeVisible();

    await expect(connectionRow(page, "Media bucket").getByText("Default", { exact: true })).toBeVisible();
    await expect(connectionRow(page, "Archive bucket").getByText("Default", { exact: true })).toHaveCount(0);
    await expect(connectionRow(page, "Media bucket").getByTestId("connection-secret")).toHaveText("****RVER");
    await shot(page, "connections-list");
  });

  await test.step("make the second connection the default", async () => {
    await connectionRow(page, "Archive bucket").getByRole("button", { name: "Make default" }).click();
    await expect(connectionRow(page, "Archive bucket").getByText("Default", { exact: true })).toBeVisible();
    await expect(connectionRow(page, "Media bucket").getByText("Default", { exact: true })).toHaveCount(0);
    await expect(connectionRow(page, "Media bucket").getByRole("button", { name: "Make default" })).toBeVisible();
  });

  await test.step("test a connection: the bucket listing is shown", async () => {
    const row = connectionRow(page, "Media bucket");
    await expect(row.getByText("Not verified")).toBeVisible();
    await row.getByRole("button", { name: "Test", exact: true }).click();
    const result = row.getByTestId("test-result");
    await expect(result).toHaveAttribute("data-ok", "true");
    await expect(result).toContainText("Listed bucket media: 1 object");
    await expect(result.getByRole("list", { name: "Sample objects" })).toHaveText("welcome/hello.txt");
    await expect(row.getByText("Not verified")).toHaveCount(0);
    await shot(page, "connections-test-ok");
  });

  await test.step("a wrong bucket name shows the S3 server's error", async () => {
    await addConnection(page, { name: "Wrong bucket", bucket: "no-such-bucket" });
    const row = connectionRow(page, "Wrong bucket");
    await row.getByRole("button", { name: "Test", exact: true }).click();
    const result = row.getByTestId("test-result");
    await expect(result).toHaveAttribute("data-ok", "false");
    await expect(result).toContainText("NoSuchBucket");
    await expect(result).toContainText("HTTP 404");
    await shot(page, "connections-test-error");
  });

  await test.step("edit a connection's name, keeping its secret", async () => {
    await connectionRow(page, "Wrong bucket").getByRole("button", { name: "Edit Wrong bucket" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit Wrong bucket" });
    await expect(dialog.getByLabel("Secret access key")).toHaveValue("");
    await shot(page, "connections-edit");
    await dialog.getByLabel("Name").fill("Scratch bucket");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(dialog).toBeHidden();
    await expect(connectionRow(page, "Scratch bucket")).toBeVisible();
    await expect(connectionRow(page, "Scratch bucket").getByTestId("connection-secret")).toHaveText("****RVER");
    await expect(connectionRow(page, "Wrong bucket")).toHaveCount(0);

    // Another connection's name is refused next to the field.
    await connectionRow(page, "Scratch bucket").getByRole("button", { name: "Edit Scratch bucket" }).click();
    const again = page.getByRole("dialog", { name: "Edit Scratch bucket" });
    await again.getByLabel("Name").fill("Media bucket");
    await again.getByRole("button", { name: "Save changes" }).click();
    await expect(again.locator('[data-field-error="name"]')).toContainText("already exists");
    await again.getByRole("button", { name: "Cancel" }).click();
  });

  await test.step("delete a connection", async () => {
    await connectionRow(page, "Scratch bucket").getByRole("button", { name: "Delete Scratch bucket" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete connection" });
    await expect(dialog).toContainText("Scratch bucket");
    await shot(page, "connections-delete-confirm");
    await dialog.getByRole("button", { name: "Delete connection" }).click();
    await expect(connectionRow(page, "Scratch bucket")).toHaveCount(0);
    await expect(page.getByTestId("connection-row")).toHaveCount(2);
  });

  await test.step("revoke the key: the API now answers 401", async () => {
    await openNav(page, "API keys");
    const row = page.getByTestId("key-row").filter({ hasText: "CI server" });
    await row.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke API key" });
    await shot(page, "keys-revoke-confirm");
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByTestId("key-status")).toHaveText("Revoked");
    await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);
    const response = await request.get("/api/connections", { headers: { Authorization: `Bearer ${secret}` } });
    expect(response.status()).toBe(401);
    await shot(page, "keys-revoked");
  });

  await openNav(page, "Overview");
  await expect(page.getByTestId("connection-count")).toHaveText("2");
  await expect(page.getByTestId("key-count")).toHaveText("0");
  await shot(page, "overview");
});

test("project switcher creates a project and switches between projects", async ({ page }) => {
  await signUp(page, { email: uniqueEmail("switch"), password: "switch passphrase" });
  const switcher = page.getByTestId("project-switcher");
  await expect(switcher).toContainText("Default");

  await switcher.click();
  await shot(page, "project-switcher-open");
  await page.getByRole("menuitem", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByLabel("Project name").fill("Staging");
  await shot(page, "project-create");
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(dialog).toBeHidden();
  await expect(switcher).toContainText("Staging");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Staging");
  const stagingId = await page.getByTestId("project-id").textContent();

  await switcher.click();
  await page.getByRole("menuitem", { name: "Default" }).click();
  await expect(switcher).toContainText("Default");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Default");
  await expect(page.getByTestId("project-id")).not.toHaveText(stagingId ?? "");

  // The choice is a cookie: it survives a reload.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Default");
});

test("long names and endpoints stay inside the layout", async ({ page }) => {
  await signUp(page, { email: uniqueEmail(`long-${"x".repeat(40)}`), password: "long values passphrase" });
  await openNav(page, "Connections");
  const longName = `Production media archive for the marketing team ${"and partners ".repeat(4)}`.trim().slice(0, 100);
  await addConnection(page, { name: longName, bucket: `a-very-long-bucket-name-${"b".repeat(30)}`, endpoint: `http://127.0.0.1:4569/${"path-segment/".repeat(6)}` });
  await expect(page.getByTestId("connection-row")).toHaveCount(1);
  const row = page.getByTestId("connection-row");
  // The endpoint has a path, so listing fails; the S3 server's message must still fit.
  await row.getByRole("button", { name: "Test", exact: true }).click();
  await expect(row.getByTestId("test-result")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, "connections-long-values");

  await page.setViewportSize({ width: 390, height: 844 });
  // On a phone the navigation sits behind the menu button.
  await page.getByTestId("nav-toggle").click();
  await openNav(page, "Overview");
  await expect(page.getByTestId("project-id")).toBeVisible();
  const mobileOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(mobileOverflow).toBeLessThanOrEqual(0);
  await shot(page, "overview-mobile");
});
