// publishUpload: the one step every upload path ends with — refused unless media, one file per upload however often
// the final request is retried, a path-addressed upload replacing the bytes of the file at its path as a new version.
import { copyFile, readFile } from "node:fs/promises";
import path from "node:path";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { scratchDir } from "@/lib/files/scratch";
import { newId, randomToken } from "@/lib/ids";
import { getStore } from "@/lib/storage/store";
import { publishUpload } from "@/lib/uploads/publish";
import { createTestProject } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { mkdir, writeFile } from "node:fs/promises";

async function scratchCopy(source: string): Promise<{ path: string; size: number }> {
  await mkdir(scratchDir(), { recursive: true });
  const target = path.join(scratchDir(), `upload-test-${randomToken(8)}`);
  await copyFile(source, target);
  return { path: target, size: (await readFile(target)).length };
}

async function newUpload(projectId: string, data: { kind?: string; filename?: string; folder?: string; metadata?: object; mediaExpiresIn?: number } = {}) {
  const prisma = await db();
  return prisma.upload.create({
    data: { id: newId("upl"), projectId, kind: data.kind ?? "url", urlExpiresAt: new Date(Date.now() + 60_000), filename: data.filename, folder: data.folder, metadata: data.metadata ?? {}, mediaExpiresIn: data.mediaExpiresIn },
  });
}

const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

describe("publishUpload", () => {
  it("publishes a video as a ready file with its media, metadata and expiry, bytes intact", async () => {
    const { projectId } = await createTestProject("latest");
    const video = await mediaFixture("videoNoAudio");
    const upload = await newUpload(projectId, { filename: "clip.mp4", folder: "in/box", metadata: { user: "u1" }, mediaExpiresIn: 3600 });
    const { file, created } = await publishUpload(upload.id, { ...(await scratchCopy(video)) });
    expect(created).toBe(true);
    expect(file).toMatchObject({ status: "ready", kind: "video", folder: "in/box", filename: "clip.mp4", path: "in/box/clip.mp4", version: 1, original: true });
    expect(file.metadata).toEqual({ user: "u1" });
    const prisma = await db();
    const media = await prisma.media.findUniqueOrThrow({ where: { id: file.mediaId } });
    expect(media.metadata).toEqual({ user: "u1" });
    expect(media.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    const done = await prisma.upload.findUniqueOrThrow({ where: { id: upload.id } });
    expect(done).toMatchObject({ status: "completed", fileId: file.id, mediaId: file.mediaId });
    const stored = await getStore().get(file.storageKey!);
    const chunks: Buffer[] = [];
    for await (const chunk of stored.body) chunks.push(chunk as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(await readFile(video)));
  });

  it("answers the same file, creating nothing, when the final request is retried (also concurrently)", async () => {
    const { projectId } = await createTestProject("latest");
    const image = await mediaFixture("videoNoAudio");
    const upload = await newUpload(projectId, { filename: "twice.mp4" });
    const results = await Promise.all([publishUpload(upload.id, await scratchCopy(image)), publishUpload(upload.id, await scratchCopy(image))]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results[0].file.id).toBe(results[1].file.id);
    const again = await publishUpload(upload.id, await scratchCopy(image));
    expect(again).toMatchObject({ created: false, file: { id: results[0].file.id } });
    const prisma = await db();
    expect(await prisma.file.count({ where: { projectId } })).toBe(1);
    expect(await prisma.media.count({ where: { projectId } })).toBe(1);
  });

  it("refuses HTML and empty bytes with a 4xx, stores nothing and says why on the upload", async () => {
    const { projectId } = await createTestProject("latest");
    await mkdir(scratchDir(), { recursive: true });
    const html = path.join(scratchDir(), `upload-test-${randomToken(8)}`);
    await writeFile(html, "<!doctype html><html><body>hi</body></html>");
    const upload = await newUpload(projectId, { filename: "page.mp4" });
    await expect(publishUpload(upload.id, { path: html, size: 44 })).rejects.toMatchObject({ status: 400, message: "The upload is an HTML page, not a media file." });
    const empty = await newUpload(projectId);
    await expect(publishUpload(empty.id, { path: html, size: 0 })).rejects.toMatchObject({ status: 400 });
    const prisma = await db();
    expect(await prisma.file.count({ where: { projectId } })).toBe(0);
    expect((await prisma.upload.findUniqueOrThrow({ where: { id: upload.id } })).error).toMatch(/HTML page/);
  });

  it("gives an upload URL's file a free name when the path is taken; a PUT replaces the bytes as the next version", async () => {
    const { projectId } = await createTestProject("latest");
    const first = await mediaFixture("videoNoAudio");
    const second = await mediaFixture("videoWithAudio");
    const a = await publishUpload((await newUpload(projectId, { filename: "same.mp4" })).id, await scratchCopy(first));
    const b = await publishUpload((await newUpload(projectId, { filename: "same.mp4" })).id, await scratchCopy(first));
    expect(b.file.id).not.toBe(a.file.id);
    expect(b.file.filename).toMatch(/^same-[A-Za-z0-9]{6}\.mp4$/);
    const put = await publishUpload((await newUpload(projectId, { kind: "put", filename: "same.mp4" })).id, await scratchCopy(second));
    expect(put.file).toMatchObject({ id: a.file.id, version: 2, path: "same.mp4" });
    expect(put.file.storageKey).not.toBe(a.file.storageKey);
    expect(await getStore().head(a.file.storageKey!)).toBeNull();
    const stored = await getStore().get(put.file.storageKey!);
    expect(stored.size).toBe((await readFile(second)).length);
  });

  it("publishes two PUTs racing to one new path as versions 1 and 2 of one file, keeping only the latest bytes", async () => {
    const { projectId } = await createTestProject("latest");
    const first = await mediaFixture("videoNoAudio");
    const second = await mediaFixture("videoWithAudio");
    const uploads = [await newUpload(projectId, { kind: "put", filename: "race.mp4" }), await newUpload(projectId, { kind: "put", filename: "race.mp4" })];
    const [a, b] = uploads.map((upload) => upload.id) as [string, string];
    const results = await Promise.all([publishUpload(a, await scratchCopy(first)), publishUpload(b, await scratchCopy(second))]);
    expect(new Set(results.map((r) => r.file.id)).size).toBe(1);
    expect(results.map((r) => r.file.version).sort()).toEqual([1, 2]);
    const prisma = await db();
    const files = await prisma.file.findMany({ where: { projectId } });
    expect(files).toHaveLength(1);
    expect(files[0]!.version).toBe(2);
    const keys: string[] = [];
    for await (const key of getStore().list(`projects/${projectId}/files/`)) keys.push(key);
    expect(keys).toEqual([files[0]!.storageKey]);
  });
});
