// The media page in Chromium: a 30 MB video dropped on the page uploads over tus through a single-use upload URL,
// survives a pause, a dropped network and a reload, turns ready in the list and plays from its delivery URL;
// refused files are explained in plain words. Screenshots at 1440 and 390 px.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Locator, type Page, type Route } from "@playwright/test";
import { shot, signUp, uniqueEmail } from "./helpers";
import { bigVideo, fakeVideo, smallImage, textFile, type Fixture } from "./media-fixtures";

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function shotBoth(page: Page, name: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await shot(page, `${name}-1440`);
  await page.setViewportSize(PHONE);
  await shot(page, `${name}-390`);
  await page.setViewportSize(DESKTOP);
}

async function openMediaPage(page: Page, label: string): Promise<void> {
  await signUp(page, { name: "Mia Media", email: uniqueEmail(label), password: "media passphrase 1" });
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Media" }).click();
  await expect(page.getByRole("heading", { name: "Media", exact: true })).toBeVisible();
  // The file picker is enabled once the uploader exists in the browser.
  await expect(page.getByRole("button", { name: "Upload files" })).toBeEnabled();
}

/** Drags `fixture` over the page (the overlay shows) and drops it, as a person would from their file manager. */
async function dropFile(page: Page, fixture: Fixture, options: { shootOverlay?: string } = {}): Promise<void> {
  const route = `/__e2e-fixture/${encodeURIComponent(fixture.name)}`;
  await page.route(`**${route}`, (r) => r.fulfill({ path: fixture.path, contentType: fixture.type }));
  const dataTransfer = await page.evaluateHandle(
    async ({ url, name, type }) => {
      const blob = await (await fetch(url)).blob();
      const transfer = new DataTransfer();
      transfer.items.add(new File([blob], name, { type }));
      return transfer;
    },
    { url: route, name: fixture.name, type: fixture.type },
  );
  await page.dispatchEvent("main", "dragenter", { dataTransfer });
  await expect(page.getByTestId("drop-overlay")).toBeVisible();
  if (options.shootOverlay) await shot(page, options.shootOverlay);
  await page.dispatchEvent("main", "drop", { dataTransfer });
  await expect(page.getByTestId("drop-overlay")).toBeHidden();
}

type Deferred = { promise: Promise<void>; resolve: () => void };

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The browser's requests to upload URLs (/u/…): counted, and PATCHes held or cut on demand. */
class UploadNetwork {
  creations = 0;
  patches = 0;
  /** The upload URLs tus created uploads at, in order. */
  readonly creationUrls: string[] = [];
  private expiredCreations = 0;
  private hold: { at: number; reached: Deferred; release: Deferred } | null = null;
  private cuts = 0;
  private cutsDone = deferred();

  async install(page: Page): Promise<void> {
    await page.route(/\/u\/[A-Za-z0-9]+/, (route) => this.handle(route));
  }

  /** The `nth` PATCH (counting from now) waits until release(); resolves when it is waiting. */
  holdPatch(nth: number): { reached: Promise<void>; release: () => void } {
    this.hold = { at: this.patches + nth, reached: deferred(), release: deferred() };
    const hold = this.hold;
    return { reached: hold.reached.promise, release: () => hold.release.resolve() };
  }

  /** The next `count` PATCHes fail as if the connection dropped; resolves after the last of them. */
  cutNext(count: number): Promise<void> {
    this.cuts = count;
    this.cutsDone = deferred();
    return this.cutsDone.promise;
  }

  /** The next `count` tus creations are answered as the server answers a used or expired upload URL. */
  expireNextCreations(count: number): void {
    this.expiredCreations = count;
  }

  private async handle(route: Route): Promise<void> {
    const method = route.request().method();
    if (method === "POST") {
      this.creations++;
      this.creationUrls.push(route.request().url());
      if (this.expiredCreations > 0) {
        this.expiredCreations--;
        return route.fulfill({ status: 410, contentType: "text/plain", body: "This upload URL has been used or has expired.\n" });
      }
    }
    if (method !== "PATCH") return route.continue();
    this.patches++;
    if (this.hold && this.patches === this.hold.at) {
      const hold = this.hold;
      hold.reached.resolve();
      await hold.release.promise;
      // A pause in the meantime cancelled the request: nothing left to answer.
      return route.abort("connectionreset").catch(() => undefined);
    }
    if (this.cuts > 0) {
      this.cuts--;
      if (this.cuts === 0) this.cutsDone.resolve();
      return route.abort("connectionreset");
    }
    return route.continue();
  }
}

const uploadRow = (page: Page, name: string): Locator => page.locator(`[data-testid="upload-row"][data-file-name="${name}"]`);
const mediaRow = (page: Page, name: string): Locator => page.getByTestId("media-row").filter({ hasText: name });

/** Plays the delivery URL in a <video> element and reports what the decoder saw. */
async function playIn(page: Page, url: string) {
  return page.evaluate(async (src) => {
    const video = document.createElement("video");
    video.muted = true;
    video.preload = "auto";
    document.body.append(video);
    const loaded = new Promise<void>((resolve, reject) => {
      video.onloadeddata = () => resolve();
      video.onerror = () => reject(new Error(`video error ${video.error?.code}: ${video.error?.message}`));
    });
    video.src = src;
    await loaded;
    const result = { width: video.videoWidth, height: video.videoHeight, readyState: video.readyState, duration: video.duration };
    video.remove();
    return result;
  }, url);
}

/** Whether golden retriever has the file's bytes and its tus upload URL saved in IndexedDB, so a reload can resume. */
function savedUpload(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open("uppy-blobs");
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          const db = open.result;
          try {
            const tx = db.transaction(["files", "metadata"], "readonly");
            const blobs = tx.objectStore("files").count();
            const meta = tx.objectStore("metadata").getAll();
            tx.oncomplete = () => {
              db.close();
              const saved = (meta.result as { metadata: string }[]).some((record) => record.metadata.includes('"uploadUrl"'));
              resolve(blobs.result > 0 && saved);
            };
          } catch {
            db.close();
            resolve(false);
          }
        };
      }),
  );
}

test("an empty library explains what to do, and refused files say why in plain words", async ({ page }) => {
  await openMediaPage(page, "media-empty");
  const empty = page.getByTestId("media-empty");
  await expect(empty).toContainText("Drag videos, audio or images anywhere on this page");
  await expect(page.getByTestId("media-empty-curl")).toContainText("curl -X POST http://127.0.0.1:3100/api/uploads");
  await shotBoth(page, "media-empty");

  await dropFile(page, textFile(), { shootOverlay: "media-drop-overlay-1440" });
  await expect(page.getByTestId("upload-refusal")).toHaveText("notes.txt is not a video, audio or image file, so it was not uploaded.");
  // Nothing was asked of the server for a refused file.
  await expect(page.getByTestId("upload-row")).toHaveCount(0);

  // The browser cannot tell this one is not a video; the server's sniffing refuses it and its message is shown.
  const fake = fakeVideo();
  await dropFile(page, fake);
  const row = uploadRow(page, fake.name);
  await expect(row).toHaveAttribute("data-state", "failed");
  await expect(row.getByTestId("upload-status")).toHaveText("The upload is plain text, not a media file.");
  // The same bytes would be refused again: no Retry, only Remove.
  await expect(row.getByRole("button", { name: `Retry ${fake.name}` })).toHaveCount(0);
  await expect(row.getByRole("button", { name: `Remove ${fake.name}` })).toBeVisible();
  await shotBoth(page, "media-errors");
  await expect(empty).toBeVisible();
});

test("a 30 MB video dropped on the page survives a pause and a dropped network, turns ready and plays", async ({ page, request }) => {
  test.setTimeout(180_000);
  const video = await bigVideo();
  const net = new UploadNetwork();
  await net.install(page);
  await openMediaPage(page, "media-upload");
  await page.getByLabel("Folder for the next uploads (optional)").fill("e2e/clips");

  // The second 8 MB part waits, so the page can be seen (and paused) mid-upload.
  const held = net.holdPatch(2);
  await dropFile(page, video);
  await held.reached;
  const row = uploadRow(page, video.name);
  await expect(row).toHaveAttribute("data-state", "uploading");
  await expect(row.getByTestId("upload-status")).toContainText(/\d+% · [\d.]+ MB of [\d.]+ MB/);
  await expect(page.getByTestId("upload-total")).toContainText(/Uploading 1 file · \d+%/);
  // The folder field applies to the next files only: this one stays where it was headed.
  await page.getByLabel("Folder for the next uploads (optional)").fill("elsewhere");
  await expect(row).toContainText("e2e/clips/launch-clip.mp4");
  await shotBoth(page, "media-uploading");

  await row.getByRole("button", { name: `Pause ${video.name}` }).click();
  await expect(row).toHaveAttribute("data-state", "paused");
  await expect(row.getByTestId("upload-status")).toContainText(/Paused at \d+%/);
  held.release();

  // The connection drops twice in a row right after resuming; tus retries from the server's offset.
  const cut = net.cutNext(2);
  await row.getByRole("button", { name: `Resume ${video.name}` }).click();
  await cut;
  await expect(row).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  expect(net.creations).toBe(1);

  const item = mediaRow(page, video.name);
  await expect(item).toHaveAttribute("data-status", "ready", { timeout: 60_000 });
  await expect(item).toContainText("e2e/clips/");
  await expect(item).toContainText("1280×720");
  const url = (await item.getByTestId("media-link").getAttribute("href")) ?? "";
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3100\/f\/[^/]+\/e2e\/clips\/launch-clip\.mp4$/);

  // Every byte arrived once, in order, across the pause and the cuts.
  const delivered = await request.get(url);
  expect(delivered.status()).toBe(200);
  const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
  expect(sha(await delivered.body())).toBe(sha(readFileSync(video.path)));

  const played = await playIn(page, url);
  expect(played).toMatchObject({ width: 1280, height: 720 });
  expect(played.readyState).toBeGreaterThanOrEqual(2);
  expect(played.duration).toBeCloseTo(6, 0);
  await shotBoth(page, "media-list");
});

test("a reload mid-upload resumes the same upload where it stopped", async ({ page }) => {
  test.setTimeout(180_000);
  const video = await bigVideo();
  const net = new UploadNetwork();
  await net.install(page);
  await openMediaPage(page, "media-reload");

  const held = net.holdPatch(2);
  await dropFile(page, video);
  await held.reached;
  await expect.poll(() => savedUpload(page), { timeout: 30_000 }).toBe(true);
  await page.reload();
  held.release();

  // Restored from IndexedDB and resumed at the server's offset: no second upload URL, no new tus upload.
  const row = uploadRow(page, video.name);
  await expect(row).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  expect(net.creations).toBe(1);
  await expect(mediaRow(page, video.name)).toHaveAttribute("data-status", "ready", { timeout: 60_000 });
  await expect(page.getByTestId("media-row")).toHaveCount(1);
});

test("an upload link that expired is replaced by a new one on retry, and the image gets its thumbnail", async ({ page }) => {
  const image = await smallImage();
  const net = new UploadNetwork();
  await net.install(page);
  await openMediaPage(page, "media-expired");

  net.expireNextCreations(1);
  await dropFile(page, image);
  const row = uploadRow(page, image.name);
  await expect(row).toHaveAttribute("data-state", "failed");
  await expect(row.getByTestId("upload-status")).toHaveText("The upload link expired before the file arrived. Retry to start again with a new link.");

  await row.getByRole("button", { name: `Retry ${image.name}` }).click();
  await expect(row).toHaveAttribute("data-state", "done");
  expect(net.creationUrls).toHaveLength(2);
  expect(new Set(net.creationUrls).size).toBe(2);

  const item = mediaRow(page, image.name);
  await expect(item).toHaveAttribute("data-status", "ready");
  await expect(item).toContainText("Image");
  await expect(item).toContainText("640×360");
  // The still is the delivered image itself, decoded by the browser.
  const thumbnail = item.locator("img");
  await expect(thumbnail).toHaveJSProperty("complete", true);
  expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
});
