// Custom domains in Chromium: the settings section explains itself when empty, refuses a URL in words, shows the
// CNAME to create for a new domain, removes one after confirmation; and the root catch-all that serves domains
// never takes the app's own paths from it, whatever the Host.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import http from "node:http";
import { randomBytes } from "node:crypto";
import { shot, signUp, uniqueEmail } from "./helpers";

async function screenshots(page: Page, name: string): Promise<void> {
  const section = page.getByTestId("domains-section");
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await section.scrollIntoViewIfNeeded();
    // Nothing may stick out sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await shot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1366, height: 860 });
}

/** A request to the running server with any Host header (a browser cannot choose one). */
function getWithHost(path: string, host: string, accept = "text/html"): Promise<{ status: number; body: string; location?: string }> {
  const base = new URL(test.info().project.use.baseURL ?? "http://127.0.0.1:3100");
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: base.hostname, port: base.port, path, headers: { host, accept } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("settings: add a custom domain, see the CNAME to create, refuse a URL in words, remove after confirming", async ({ page }) => {
  await signUp(page, { name: "Dora Domains", email: uniqueEmail("domains"), password: "domains passphrase 1" });
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Settings" }).click();
  const section = page.getByTestId("domains-section");
  await expect(section.getByTestId("domains-empty")).toContainText("No custom domains yet");
  await screenshots(page, "domains-empty");

  const field = section.getByLabel("Hostname");
  await field.fill("https://Media.Example.com/videos");
  await section.getByRole("button", { name: "Add domain" }).click();
  await expect(section.locator('[data-field-error="hostname"]')).toHaveText(/^Enter the hostname alone, such as media\.example\.com, without https:\/\/ or a path$/);
  await screenshots(page, "domains-invalid");

  const hostname = `media-${randomBytes(3).toString("hex")}.example.com`;
  await field.fill(hostname.toUpperCase());
  await section.getByRole("button", { name: "Add domain" }).click();
  const item = section.getByTestId("domain-item");
  await expect(item).toHaveAttribute("data-hostname", hostname);
  await expect(field).toHaveValue("");
  await expect(item.getByText("Waiting for DNS")).toBeVisible();
  const record = item.getByRole("definition");
  await expect(record.nth(0)).toHaveText("CNAME");
  await expect(record.nth(1)).toContainText(hostname);
  // No MEDIABIT_PUBLIC_URL in the e2e server: the value is the host the browser reached, and the page says so.
  await expect(record.nth(2)).toContainText("127.0.0.1");
  await expect(section.getByTestId("domain-target-note")).toBeVisible();
  await expect(item.getByRole("button", { name: "Copy value" })).toBeVisible();
  await screenshots(page, "domains-pending");

  const axe = await new AxeBuilder({ page }).include("[data-testid=domains-section]").analyze();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
  expect(serious).toEqual([]);

  // The same hostname again: taken.
  await field.fill(hostname);
  await section.getByRole("button", { name: "Add domain" }).click();
  await expect(section.locator('[data-field-error="hostname"]')).toHaveText("Already added to a project on this server: remove it there first, or use another hostname");

  await item.getByRole("button", { name: `Remove ${hostname}` }).click();
  const dialog = page.getByRole("dialog", { name: `Remove ${hostname}?` });
  await expect(dialog).toContainText("stop being served");
  await shot(page, "domains-remove-dialog");
  await dialog.getByRole("button", { name: "Remove domain" }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByTestId("domains-empty")).toBeVisible();
});

test("the domain catch-all never takes the app's own paths, whatever the Host", async () => {
  const host = "unknown-host.example.com";
  const health = await getWithHost("/api/health", host, "application/json");
  expect(health.status).toBe(200);
  const login = await getWithHost("/login", host);
  expect(login.status).toBe(200);
  expect(login.body).toContain("Sign in");
  const dashboard = await getWithHost("/dashboard", host);
  expect([302, 303, 307]).toContain(dashboard.status);
  expect(dashboard.location).toContain("/login");
  const unknownApi = await getWithHost("/api/no-such-route", host, "application/json");
  expect(unknownApi.status).toBe(404);
  expect(unknownApi.body).toContain("No API route");
  const nothing = await getWithHost("/videos/clip.mp4", host);
  expect(nothing.status).toBe(404);
  expect(nothing.body).toContain("Go to the dashboard");
});
