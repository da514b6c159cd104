// The maintenance sweep of orphaned bytes on the local store: objects under a file's prefix that no row accounts for
// (the file is gone, or a newer version replaced them) are removed once older than ORPHAN_MIN_AGE_MS, a batch per
// pass; current bytes, packages, files still processing and uploads on their way are kept.
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { ORPHAN_MIN_AGE_MS, sweepOrphanedBytes } from "@/lib/files/orphaned-bytes";
import { newId } from "@/lib/ids";
import { fileKeyPrefix, objectKey, packageEntryKey } from "@/lib/storage/object-key";
import { getStore } from "@/lib/storage/store";
import { createTestProject } from "@/tests/helpers/api";

async function put(key: string): Promise<string> {
  await getStore().put(key, Readable.from([Buffer.from(key)]), { contentType: "application/octet-stream" });
  return key;
}

async function listAll(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of getStore().list(prefix)) keys.push(key);
  return keys.sort();
}

/** Passes until the walk of the whole store is done, `keysPerPass` keys at a time. */
async function sweepAll(now: number, keysPerPass: number) {
  let removed = 0;
  let passes = 0;
  for (;;) {
    const pass = await sweepOrphanedBytes({ now, keysPerPass });
    removed += pass.removed;
    passes++;
    expect(pass.examined).toBeLessThanOrEqual(keysPerPass);
    if (pass.finished) return { removed, passes };
  }
}

describe("sweepOrphanedBytes", () => {
  let projectId = "";
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    projectId = (await createTestProject()).projectId;
    const prisma = await db();
    const mediaId = newId("med");
    await prisma.media.create({ data: { id: mediaId, projectId } });
    const file = (id: string, name: string, data: Record<string, unknown>) =>
      prisma.file.create({ data: { id, projectId, mediaId, filename: name, path: `${id}/${name}`, ...data } });

    // A file whose PUT replaced its bytes (version 2): the first version's object is left behind.
    const replaced = newId("file");
    keys.oldVersion = await put(objectKey({ projectId, fileId: replaced, name: "a.mp4" }));
    keys.current = await put(objectKey({ projectId, fileId: replaced, name: "v2-a.mp4" }));
    await file(replaced, "a.mp4", { status: "ready", storageKey: keys.current, version: 2 });
    // A deleted file: no row names its id any more.
    const deleted = newId("file");
    keys.deletedMain = await put(objectKey({ projectId, fileId: deleted, name: "b.mp4" }));
    keys.deletedExtra = await put(packageEntryKey({ projectId, fileId: deleted, path: "720p/seg-1.ts" }));
    // A package: everything under its prefix is its own.
    const pkg = newId("file");
    keys.playlist = await put(packageEntryKey({ projectId, fileId: pkg, path: "master.m3u8" }));
    keys.segment = await put(packageEntryKey({ projectId, fileId: pkg, path: "720p/seg-1.ts" }));
    await file(pkg, "master.m3u8", { status: "ready", storageKey: keys.playlist, packageDir: pkg });
    // A file still processing (no storage key yet) may be writing under its prefix.
    const processing = newId("file");
    keys.processing = await put(objectKey({ projectId, fileId: processing, name: "c.mp4" }));
    await file(processing, "c.mp4", { status: "processing" });
    // An upload on its way, with bytes under the file id it will publish as (no file row yet).
    const uploading = newId("file");
    keys.uploading = await put(objectKey({ projectId, fileId: uploading, name: "d.mp4" }));
    await prisma.upload.create({ data: { id: newId("upl"), projectId, kind: "url", status: "uploading", urlExpiresAt: new Date(Date.now() + 3_600_000), fileId: uploading } });
  });

  it("keeps everything younger than ORPHAN_MIN_AGE_MS", async () => {
    const before = await listAll(`projects/${projectId}/`);
    const { removed } = await sweepAll(Date.now() + ORPHAN_MIN_AGE_MS - 60_000, 3);
    expect(removed).toBe(0);
    expect(await listAll(`projects/${projectId}/`)).toEqual(before);
  });

  it("removes a replaced version's bytes and a deleted file's, in bounded passes, and nothing else", async () => {
    const { removed, passes } = await sweepAll(Date.now() + ORPHAN_MIN_AGE_MS + 60_000, 2);
    expect(removed).toBe(3);
    expect(passes).toBeGreaterThanOrEqual(4);
    const left = await listAll(`projects/${projectId}/`);
    expect(left).toEqual([keys.current, keys.playlist, keys.segment, keys.processing, keys.uploading].sort());
    expect(await getStore().head(keys.oldVersion!)).toBeNull();
    expect(await listAll(fileKeyPrefix({ projectId, fileId: keys.deletedMain!.split("/")[3]! }))).toEqual([]);
  });
});
