// getOverviewUsage (the dashboard Overview): counts, storage, processing minutes and delivery of the last 30 days as
// daily points, and the latest uploads and tasks newest first — only the project's own.
import { copyFile, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeDeliveryStats } from "@/lib/analytics/delivery-counter";
import { getOverviewUsage } from "@/lib/analytics/overview";
import { db } from "@/lib/db/client";
import { scratchDir } from "@/lib/files/scratch";
import { newId, randomToken } from "@/lib/ids";
import { publishUpload } from "@/lib/uploads/publish";
import { createUploadUrl } from "@/lib/uploads/uploads";
import { createTestProject } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";

describe("getOverviewUsage", () => {
  it("sums the project's usage and lists its latest uploads and tasks newest first", async () => {
    const { orgId, projectId } = await createTestProject("latest");
    const stranger = await createTestProject("latest");
    const scope = { orgId, projectId };
    const prisma = await db();

    await mkdir(scratchDir(), { recursive: true });
    const copy = path.join(scratchDir(), `overview-${randomToken(8)}`);
    await copyFile(await mediaFixture("png"), copy);
    const size = (await stat(copy)).size;
    const upload = await createUploadUrl(scope, { filename: "cover.png", folder: "art" }, { kind: "session", origin: "http://localhost" });
    await publishUpload(upload.upload.id, { path: copy, size });

    const started = new Date(Date.now() - 60_000);
    await prisma.task.create({
      data: { id: newId("task"), projectId, kind: "video", input: {}, status: "succeeded", startedAt: started, finishedAt: new Date(started.getTime() + 90_000), createdAt: new Date() },
    });
    await prisma.task.create({ data: { id: newId("task"), projectId: stranger.projectId, kind: "image", input: {}, createdAt: new Date() } });
    const today = new Date(Date.now() - (Date.now() % 3_600_000));
    await writeDeliveryStats([
      { projectId, mediaId: "", hour: today, requests: 4, bytes: 4096 },
      { projectId: stranger.projectId, mediaId: "", hour: today, requests: 9, bytes: 9 },
    ]);

    const usage = await getOverviewUsage(scope);
    expect(usage).toMatchObject({ mediaCount: 1, taskCount: 1, storageBytes: size, processingMinutes: 1.5, deliveryBytes: 4096, requests: 4 });
    expect(usage.fileCount).toBeGreaterThanOrEqual(1);
    expect(usage.series).toHaveLength(30);
    expect(usage.series.at(-1)).toEqual({ t: new Date().toISOString().slice(0, 10), deliveryBytes: 4096, requests: 4 });
    expect(usage.recent.map((item) => [item.kind, item.status])).toEqual([
      ["task", "succeeded"],
      ["upload", "ready"],
    ]);
    expect(usage.recent[0]).toMatchObject({ taskKind: "video", seconds: 90 });
    expect(usage.recent[1]).toMatchObject({ path: "art/cover.png", fileKind: "image", bytes: size });
  });
});
