// The media page's list (listMediaLibrary): newest first, one row per media item shown by its original file, an
// upload whose bytes have all arrived listed as processing until its file is published, only the project's own,
// and signed links when the project serves only signed URLs.
import { copyFile, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { listMediaLibrary } from "@/lib/dashboard/queries";
import { scratchDir } from "@/lib/files/scratch";
import { randomToken } from "@/lib/ids";
import { verifySignature, projectSigningSecret } from "@/lib/storage/signing";
import { publishUpload } from "@/lib/uploads/publish";
import { createUploadUrl, recordProgress } from "@/lib/uploads/uploads";
import { createTestProject } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";

const ORIGIN = "https://media.example.test";

async function scratchCopy(source: string): Promise<{ path: string; size: number }> {
  await mkdir(scratchDir(), { recursive: true });
  const target = path.join(scratchDir(), `list-test-${randomToken(8)}`);
  await copyFile(source, target);
  return { path: target, size: (await stat(target)).size };
}

async function projectScope() {
  const { orgId, projectId } = await createTestProject("latest");
  return { orgId, projectId };
}

describe("listMediaLibrary", () => {
  it("lists an upload whose bytes all arrived as processing, then the published file as ready, newest first", async () => {
    const scope = await projectScope();
    const video = await mediaFixture("videoNoAudio");
    const first = await createUploadUrl(scope, { filename: "first.mp4" }, { kind: "session", origin: ORIGIN });
    await publishUpload(first.upload.id, await scratchCopy(video));

    const second = await createUploadUrl(scope, { filename: "second.mp4", folder: "clips" }, { kind: "session", origin: ORIGIN });
    const bytes = await scratchCopy(video);
    const prisma = await db();
    await prisma.upload.update({ where: { id: second.upload.id }, data: { totalBytes: BigInt(bytes.size) } });
    // Halfway is not listed: an upload on its way is the uploader's to show.
    await recordProgress(second.upload.id, Math.floor(bytes.size / 2));
    expect((await listMediaLibrary(scope, ORIGIN)).items.map((item) => item.name)).toEqual(["first.mp4"]);

    await recordProgress(second.upload.id, bytes.size);
    const during = await listMediaLibrary(scope, ORIGIN);
    expect(during.total).toBe(2);
    expect(during.items.map((item) => [item.name, item.status, item.url])).toEqual([
      ["second.mp4", "processing", null],
      ["first.mp4", "ready", expect.stringMatching(/^https:\/\/media\.example\.test\/f\/[^/]+\/first\.mp4$/)],
    ]);
    expect(during.items[0]).toMatchObject({ id: second.upload.id, mediaId: null, kind: "video", folder: "clips", size: bytes.size });

    const { file } = await publishUpload(second.upload.id, bytes);
    const after = await listMediaLibrary(scope, ORIGIN);
    expect(after.total).toBe(2);
    expect(after.items[0]).toMatchObject({ id: file.mediaId, mediaId: file.mediaId, fileId: file.id, status: "ready", kind: "video", width: 320, height: 240, size: bytes.size });
    expect(after.items[0]!.url).toMatch(/\/f\/[^/]+\/clips\/second\.mp4$/);
  });

  it("shows only the project's own media", async () => {
    const mine = await projectScope();
    const theirs = await projectScope();
    const upload = await createUploadUrl(theirs, { filename: "theirs.mp4" }, { kind: "session", origin: ORIGIN });
    await publishUpload(upload.upload.id, await scratchCopy(await mediaFixture("videoNoAudio")));
    expect(await listMediaLibrary(mine, ORIGIN)).toEqual({ items: [], total: 0 });
    expect((await listMediaLibrary(theirs, ORIGIN)).items).toHaveLength(1);
  });

  it("links with a signed URL, stable within the hour, when the project serves only signed URLs", async () => {
    const scope = await projectScope();
    const prisma = await db();
    await prisma.project.update({ where: { id: scope.projectId }, data: { deliveryAccess: "signed" } });
    const upload = await createUploadUrl(scope, { filename: "private.mp4" }, { kind: "session", origin: ORIGIN });
    await publishUpload(upload.upload.id, await scratchCopy(await mediaFixture("videoNoAudio")));
    const [item] = (await listMediaLibrary(scope, ORIGIN)).items;
    const url = new URL(item!.url!);
    expect(url.pathname).toMatch(/\/private\.mp4$/);
    const expiry = Number(url.searchParams.get("expiry"));
    expect(expiry % 3600).toBe(0);
    expect(expiry * 1000).toBeGreaterThan(Date.now() + 3600_000);
    const checked = verifySignature({
      path: "private.mp4",
      expiry: url.searchParams.get("expiry") ?? "",
      method: url.searchParams.get("method") ?? undefined,
      signature: url.searchParams.get("signature") ?? "",
      requestMethod: "GET",
      secret: projectSigningSecret(scope.projectId),
    });
    expect(checked).toEqual({ ok: true });
    expect((await listMediaLibrary(scope, ORIGIN)).items[0]!.url).toBe(item!.url);
  });
});
