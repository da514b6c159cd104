// The dashboard on a phone (390 px): no page is wider than the screen, the navigation folds behind a menu button,
// tables become cards, and dialogs open whole and can be confirmed. Every page also at 1440 px, with an axe check.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { S3, signUp, uniqueEmail } from "./helpers";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

// The media library is being rebuilt by its own work (issue 16 §1), which checks its accessibility itself: here only its width.
const PAGES = [
  { path: "/dashboard", heading: "Default", isAxeChecked: true },
  { path: "/dashboard/media", heading: "Media", isAxeChecked: false },
  { path: "/dashboard/keys", heading: "API keys", isAxeChecked: true },
  { path: "/dashboard/connections", heading: "Connections", isAxeChecked: true },
  { path: "/dashboard/settings", heading: "Settings", isAxeChecked: true },
  { path: "/dashboard/team", heading: "Team", isAxeChecked: true },
  { path: "/dashboard/account", heading: "Account", isAxeChecked: true },
  { path: "/dashboard/no-such-page", heading: "Page not found", isAxeChecked: true },
] as const;

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

async function expectNoSeriousA11yViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  // Soft, so one run names every page's violations.
  expect.soft(serious, `${label}: serious or critical accessibility violations`).toEqual([]);
}

/** The dialog's box lies wholly inside the viewport. */
async function expectInsideViewport(page: Page, name: string): Promise<void> {
  const box = await page.getByRole("dialog", { name }).boundingBox();
  const viewport = page.viewportSize();
  expect(box && viewport).toBeTruthy();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport!.width);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport!.height);
}

test("every dashboard page fits a phone, and its dialogs open whole and can be confirmed", async ({ page }) => {
  await signUp(page, { name: "Pia Phone", email: uniqueEmail("phone"), password: "phone passphrase 1" });
  await page.setViewportSize(PHONE);
  const toggle = page.getByTestId("nav-toggle");
  const nav = page.getByRole("navigation", { name: "Dashboard" });

  await test.step("the navigation folds behind the menu button and closes after a choice", async () => {
    await expect(nav).toBeHidden();
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(nav).toBeVisible();
    await expect(page.getByTestId("project-switcher")).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/mobile-nav-open-390.png" });
    await nav.getByRole("link", { name: "API keys" }).click();
    await expect(page).toHaveURL(/\/dashboard\/keys$/);
    await expect(nav).toBeHidden();
    // Escape closes it too.
    await toggle.click();
    await expect(nav).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(nav).toBeHidden();
  });

  await test.step("the one-time key dialog fits and can be confirmed", async () => {
    await page.getByRole("button", { name: "Create key" }).click();
    await expectInsideViewport(page, "Create API key");
    const create = page.getByRole("dialog", { name: "Create API key" });
    await create.getByLabel("Name").fill("Phone key with a long name for a small screen");
    await create.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByRole("dialog", { name: "Save your API key" });
    await expect(shown.getByTestId("new-key-secret")).toBeVisible();
    await expectInsideViewport(page, "Save your API key");
    await page.screenshot({ path: "test-results/screenshots/mobile-key-secret-390.png" });
    await shown.getByRole("button", { name: "I've saved the key" }).click();
    await expect(shown).toBeHidden();
    const row = page.getByTestId("key-row");
    await expect(row).toHaveCount(1);
    // A card: the row is no wider than the screen, and the cells name their columns.
    expect((await row.boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
    await expect(row.locator('td[data-label="Status"]')).toBeVisible();
    await row.getByRole("button", { name: "Revoke" }).click();
    await expectInsideViewport(page, "Revoke API key");
    await page.getByRole("dialog", { name: "Revoke API key" }).getByRole("button", { name: "Cancel" }).click();
  });

  await test.step("the connection form fits, scrolls and saves", async () => {
    await page.goto("/dashboard/connections");
    await page.getByRole("button", { name: "Add connection" }).first().click();
    await expectInsideViewport(page, "Add connection");
    const dialog = page.getByRole("dialog", { name: "Add connection" });
    await dialog.getByLabel("Name").fill("Phone bucket");
    await dialog.getByLabel("Endpoint").fill(S3.endpoint);
    await dialog.getByLabel("Bucket").fill("media");
    await dialog.getByLabel("Access key ID").fill(S3.accessKeyId);
    await dialog.getByLabel("Secret access key").fill(S3.secretAccessKey);
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByTestId("connection-row");
    await row.getByRole("button", { name: "Test", exact: true }).click();
    await expect(row.getByTestId("test-result")).toHaveAttribute("data-ok", "true");
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  });

  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    for (const { path, heading, isAxeChecked } of PAGES) {
      await test.step(`${path} at ${viewport.width} px`, async () => {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
        expect.soft(await pageWidth(page), `${path} is wider than the screen`).toBeLessThanOrEqual(viewport.width);
        const name = path === "/dashboard" ? "overview" : path.slice("/dashboard/".length);
        await page.screenshot({ path: `test-results/screenshots/page-${name}-${viewport.width}.png`, fullPage: true });
        if (isAxeChecked) await expectNoSeriousA11yViolations(page, `${path} at ${viewport.width} px`);
      });
    }
  }
});
