// Tasks, runs and jobs in Chromium: a video task made through the API shows its progress bar moving and turns
// succeeded without a reload; its detail shows the plan's steps, the output and the options; a long task is cancelled
// from its page (with a hint of what to do), retried as a new task; a run shows as its tree. Screenshots at 1440 and 390.
import { createReadStream, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { shot, signUp, uniqueEmail } from "./helpers";
import { bigVideo } from "./media-fixtures";

/** Serves one file at a given pace, so a download takes long enough to watch (and to cancel). */
async function startPacedServer(file: string, bytesPerSecond: number): Promise<{ url: (name: string) => string; close: () => Promise<void> }> {
  const size = statSync(file).size;
  const server = http.createServer((req, res) => {
    // Not media: for a task that fails.
    if (req.url?.includes("text=1")) return void res.writeHead(200, { "content-type": "text/plain" }).end("these are notes, not a video");
    res.writeHead(200, { "content-type": "video/mp4", "content-length": String(size) });
    const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
    stream.on("data", (chunk) => {
      stream.pause();
      if (!res.write(chunk)) res.once("drain", () => undefined);
      setTimeout(() => stream.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    stream.on("end", () => res.end());
    res.on("close", () => stream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function createKey(page: Page): Promise<string> {
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill("Tasks e2e");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: "Save your API key" });
  const secret = (await shown.getByTestId("new-key-secret").textContent()) ?? "";
  await shown.getByRole("button", { name: "I've saved the key" }).click();
  return secret;
}

async function post(request: APIRequestContext, key: string, path: string, body: unknown): Promise<string> {
  const response = await request.post(path, { headers: { Authorization: `Bearer ${key}`, "Api-Version": "latest" }, data: body });
  expect(response.status(), await response.text()).toBe(201);
  const json = (await response.json()) as { id?: string; data?: { id: string } };
  return json.data?.id ?? json.id ?? "";
}

async function screenshots(page: Page, name: string): Promise<void> {
  // The page's own content (the shell is checked by its own specs): no serious or critical accessibility violations.
  const results = await new AxeBuilder({ page }).include("main").analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  expect(serious, name).toEqual([]);
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    // Nothing may stick out sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await shot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1366, height: 860 });
}

test("tasks: live progress to succeeded, the detail, cancel and retry, a run's tree", async ({ page, request }) => {
  test.setTimeout(240_000);
  const video = await bigVideo();
  // ~30 MB at 6 MB/s: a download of about five seconds, over which the bar moves (progress is written every 2 s).
  const quick = await startPacedServer(video.path, 6_000_000);
  // ~30 MB at 300 KB/s: a task that is still downloading when it is cancelled.
  const slow = await startPacedServer(video.path, 300_000);
  try {
    await signUp(page, { name: "Tess Tasks", email: uniqueEmail("tasks"), password: "tasks passphrase 1" });
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Tasks" }).click();
    await expect(page).toHaveURL(/\/dashboard\/tasks$/);
    await expect(page.getByTestId("activity-empty")).toContainText("No tasks yet");
    await expect(page.getByTestId("activity-empty-curl")).toContainText("curl -X POST http://127.0.0.1:3100/api/tasks");
    await screenshots(page, "tasks-empty");

    const key = await createKey(page);
    await page.goto("/dashboard/tasks");
    const taskId = await post(request, key, "/api/tasks", { kind: "video", url: quick.url("launch.mp4"), options: { width: 320, format: "mp4" } });

    // The list shows the new task (polling, no reload) and its bar moves until it succeeds.
    const row = page.locator(`[data-testid="task-row"][data-task-id="${taskId}"]`);
    await expect(row).toBeVisible({ timeout: 15_000 });
    const seen = new Set<number>();
    await expect
      .poll(
        async () => {
          const value = await row.getByRole("progressbar").getAttribute("aria-valuenow", { timeout: 500 }).catch(() => null);
          if (value !== null) seen.add(Number(value));
          return row.getAttribute("data-status");
        },
        { timeout: 90_000, intervals: [250] },
      )
      .toBe("succeeded");
    expect([...seen].some((value) => value > 0 && value < 100), `progress values seen: ${[...seen].join(", ")}`).toBe(true);
    await expect(row.getByTestId("task-status")).toHaveText("Succeeded");
    await screenshots(page, "tasks-list");

    // The detail: the plan's steps with their times, the output linked for delivery, the options.
    await row.getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/tasks/${taskId}$`));
    await expect(page.getByTestId("task-detail")).toHaveAttribute("data-status", "succeeded");
    await expect(page.getByTestId("plan-step").first()).toContainText("ffmpeg");
    await expect(page.getByTestId("plan-step").first()).toContainText(/\d+(\.\d)? (ms|s)/);
    const output = page.getByTestId("output-link");
    await expect(output).toHaveAttribute("href", /\/f\//);
    expect((await request.get((await output.getAttribute("href")) ?? "")).status()).toBe(200);
    await expect(page.getByRole("region", { name: "Options" })).toContainText('"width": 320');
    await expect(page.getByRole("button", { name: /Cancel task/ })).toHaveCount(0);
    await screenshots(page, "task-detail");

    // A long task: cancelled from its page while it downloads; the page says what to do next.
    const longId = await post(request, key, "/api/tasks", { kind: "video", url: slow.url("long.mp4"), options: { width: 640, format: "webm" } });
    await page.goto(`/dashboard/tasks/${longId}`);
    await expect(page.getByTestId("task-detail")).toHaveAttribute("data-status", "processing", { timeout: 30_000 });
    await page.getByRole("button", { name: "Cancel task" }).click();
    await page.getByRole("dialog", { name: "Cancel this task?" }).getByRole("button", { name: "Cancel task" }).click();
    await expect(page.getByTestId("task-detail")).toHaveAttribute("data-status", "cancelled");
    await expect(page.getByTestId("task-hint")).toContainText("Retry it");
    const api = await request.get(`/api/tasks/${longId}`, { headers: { Authorization: `Bearer ${key}`, "Api-Version": "latest" } });
    const body = (await api.json()) as { status?: string; data?: { status: string } };
    expect(body.data?.status ?? body.status).toBe("cancelled");
    await screenshots(page, "task-cancelled");

    // Retry makes a new task from the same request and opens it; that one is cancelled too.
    await page.getByRole("button", { name: "Retry" }).click();
    await expect(page).not.toHaveURL(new RegExp(`/dashboard/tasks/${longId}$`));
    await expect(page).toHaveURL(/\/dashboard\/tasks\/task_/);
    await expect(page.getByRole("region", { name: "Options" })).toContainText('"format": "webm"');
    await expect(page.getByTestId("task-detail")).toHaveAttribute("data-status", /queued|processing/);
    await page.getByRole("button", { name: "Cancel task" }).click();
    await page.getByRole("dialog", { name: "Cancel this task?" }).getByRole("button", { name: "Cancel task" }).click();
    await expect(page.getByTestId("task-detail")).toHaveAttribute("data-status", "cancelled");

    // Filters: only the cancelled ones.
    await page.goto("/dashboard/tasks");
    await page.getByLabel("Status").selectOption("cancelled");
    await expect(page.getByTestId("task-row")).toHaveCount(2);
    await page.getByLabel("Status").selectOption("succeeded");
    await expect(page.getByTestId("task-row")).toHaveCount(1);

    // A task that fails says why and what to do.
    const failedId = await post(request, key, "/api/tasks", { kind: "video", url: quick.url("notes.txt?text=1") });
    await page.goto(`/dashboard/tasks/${failedId}`);
    await expect(page.getByTestId("task-detail")).toHaveAttribute("data-status", "failed", { timeout: 60_000 });
    await expect(page.getByTestId("task-error")).not.toBeEmpty();
    await expect(page.getByTestId("task-hint")).not.toBeEmpty();
    await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
    await screenshots(page, "task-failed");

    // A run: its tree with each task's state, live until both succeed.
    const runId = await post(request, key, "/api/runs", { input: quick.url("run.mp4"), tasks: [{ kind: "ingest", next: [{ kind: "image", options: { width: 320 } }] }] });
    await page.goto("/dashboard/runs");
    await expect(page.locator(`[data-id="${runId}"]`)).toBeVisible();
    await page.locator(`[data-id="${runId}"]`).getByRole("link").click();
    await expect(page.getByTestId("run-detail")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
    await expect(page.getByTestId("tree-task")).toHaveCount(2);
    await expect(page.getByTestId("tree-task").first()).toHaveAttribute("data-status", "succeeded");
    await expect(page.getByTestId("tree-task").first().getByTestId("tree-task")).toHaveAttribute("data-status", "succeeded");
    await screenshots(page, "run-detail");
    await page.goto("/dashboard/runs");
    await screenshots(page, "runs-list");
    await page.goto("/dashboard/jobs");
    await expect(page.getByTestId("activity-empty")).toContainText("No jobs yet");
    await screenshots(page, "jobs-empty");

    // A job: its steps, each task's state, until it succeeds.
    const jobId = await post(request, key, "/api/jobs", { kind: "video", input: quick.url("job.mp4"), options: { width: 160 } });
    await expect(page.locator(`[data-id="${jobId}"]`)).toBeVisible({ timeout: 15_000 });
    await page.locator(`[data-id="${jobId}"]`).getByRole("link").click();
    await expect(page.getByTestId("job-detail")).toHaveAttribute("data-status", "succeeded", { timeout: 90_000 });
    await expect(page.getByTestId("tree-task").first()).toHaveAttribute("data-status", "succeeded");
    await expect(page.getByTestId("job-output")).toHaveAttribute("href", /\/f\//);
    await screenshots(page, "job-detail");
  } finally {
    await quick.close();
    await slow.close();
  }
});
