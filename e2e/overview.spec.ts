// The Overview's usage in Chromium: a new project explains its empty usage; after an upload and three deliveries
// (two whole, one Range) the counts, storage, delivered bytes, the daily chart (loaded on demand) and the recent
// activity show them, on a laptop and on a phone.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { shot, signUp, uniqueEmail } from "./helpers";
import { smallImage } from "./media-fixtures";

const API_HEADERS = { "Accept-Version": "latest" };

async function createKey(page: Page): Promise<string> {
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill("Overview e2e");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Save your API key" });
  const secret = (await shown.getByTestId("new-key-secret").textContent()) ?? "";
  await shown.getByRole("button", { name: "I've saved the key" }).click();
  return secret;
}

/** A PNG through an upload URL; its delivery URL and size. */
async function uploadImage(request: APIRequestContext, key: string): Promise<{ url: string; size: number }> {
  const image = await smallImage();
  const created = await request.post("/api/uploads", { headers: { ...API_HEADERS, Authorization: `Bearer ${key}` }, data: { filename: "poster.png", folder: "launch" } });
  expect(created.status(), await created.text()).toBe(201);
  const bytes = readFileSync(image.path);
  const put = await request.put((await created.json()).url as string, { headers: { "Content-Type": "image/png" }, data: bytes });
  expect(put.status(), await put.text()).toBeLessThan(300);
  const file = (await put.json()) as { url: string };
  return { url: file.url, size: bytes.length };
}

async function screenshots(page: Page, name: string, options: { chart: boolean }): Promise<void> {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    if (options.chart) await expect(page.getByTestId("usage-chart").locator(".recharts-bar-rectangle path")).toHaveCount(1);
    // Nothing may stick out sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await shot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1366, height: 860 });
}

async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include("[aria-labelledby=usage-heading]").analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

test("overview: usage explained when empty, then counts, delivery chart and recent activity after real deliveries", async ({ page, request }) => {
  // Scripts that hold the chart library, as the browser loads them.
  const chartScripts: string[] = [];
  page.on("response", async (response) => {
    if (!response.url().endsWith(".js")) return;
    const text = await response.text().catch(() => "");
    if (text.includes("recharts-bar-rectangle")) chartScripts.push(response.url());
  });
  await signUp(page, { name: "Olive Overview", email: uniqueEmail("overview"), password: "overview passphrase 1" });
  const usage = page.getByRole("region", { name: "Usage" });
  await expect(usage.getByTestId("usage-media")).toHaveText("0");
  await expect(usage.getByTestId("usage-delivered")).toHaveText("0 bytes");
  await expect(usage.getByText("Nothing delivered yet.")).toBeVisible();
  await expect(usage.getByText("No uploads or tasks yet.")).toBeVisible();
  // No chart of zeros: the chart library is not even loaded.
  await expect(usage.getByTestId("usage-chart").locator(".recharts-responsive-container")).toHaveCount(0);
  await page.waitForLoadState("networkidle");
  expect(chartScripts).toEqual([]);
  await screenshots(page, "overview-empty", { chart: false });

  const key = await createKey(page);
  const image = await uploadImage(request, key);
  for (const headers of [{}, {}, { Range: "bytes=0-99" }] as Record<string, string>[]) {
    const delivered = await request.get(image.url, { headers });
    expect(delivered.ok()).toBe(true);
  }
  const delivered = 2 * image.size + 100;
  // Counts reach the database within one flush interval (5 s); the API reads what the Overview reads.
  await expect
    .poll(async () => {
      const res = await request.get("/api/analytics", { headers: { ...API_HEADERS, Authorization: `Bearer ${key}` } });
      const body = (await res.json()) as { requests: number; delivery_bytes: number };
      return [body.requests, body.delivery_bytes];
    }, { timeout: 20_000 })
    .toEqual([3, delivered]);

  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Overview" }).click();
  await expect(usage.getByTestId("usage-media")).toHaveText("1");
  await expect(usage.getByTestId("usage-delivered")).not.toHaveText("0 bytes");
  await expect(usage.getByTestId("usage-delivered").locator("xpath=following-sibling::div")).toHaveText("3 requests");
  await expect(usage.getByText("Nothing delivered yet.")).toHaveCount(0);
  // The chart library arrives on demand, as its own script.
  await expect.poll(() => chartScripts.length).toBeGreaterThan(0);
  // Today's bar is drawn, and its tooltip names the day's figures.
  const bar = usage.getByTestId("usage-chart").locator(".recharts-bar-rectangle path");
  await expect(bar).toHaveCount(1);
  await bar.hover();
  await expect(usage.getByTestId("usage-chart")).toContainText("3 requests");
  await expect(usage.getByTestId("activity-item").first()).toContainText("launch/poster.png");
  await expect(usage.getByTestId("activity-item").first()).toContainText("ready");
  await expectNoSeriousA11yViolations(page);
  await page.mouse.move(0, 0);
  await screenshots(page, "overview-usage", { chart: true });
});
