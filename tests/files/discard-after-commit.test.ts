// A failed or cancelled task's unfinished outputs lose their stored bytes only once the transaction deleting their
// rows has committed: a transaction that rolls back (a lost lease, a later write failing) keeps rows and bytes together.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { getStore } from "@/lib/storage/store";
import { objectKey } from "@/lib/storage/object-key";
import { cancelTaskWork, failTask, settleByteRemovals } from "@/lib/tasks/execute";
import { createTestProject } from "@/tests/helpers/api";

/** A processing task with an output placeholder whose bytes are already stored (as mid-publish). */
async function taskWithStoredOutput() {
  const { projectId } = await createTestProject("latest");
  const prisma = await db();
  const taskId = newId("task");
  const mediaId = newId("med");
  const fileId = newId("file");
  const key = objectKey({ projectId, fileId, name: "out.mp4" });
  await prisma.media.create({ data: { id: mediaId, projectId, createdBy: taskId } });
  await prisma.file.create({ data: { id: fileId, projectId, mediaId, filename: "out.mp4", path: `${fileId}.mp4`, storageKey: key, createdBy: taskId } });
  await prisma.task.create({ data: { id: taskId, projectId, kind: "video", status: "processing", input: {}, outputFileId: fileId } });
  await getStore().put(key, Readable.from([Buffer.from("old bytes")]), { contentType: "video/mp4" });
  return { taskId, fileId, key };
}

const stored = async (key: string) => (await getStore().head(key)) !== null;

describe("discarding a task's unfinished outputs", () => {
  it("keeps the rows and the stored bytes when the transaction rolls back", async () => {
    const { taskId, fileId, key } = await taskWithStoredOutput();
    const prisma = await db();
    await expect(
      prisma.$transaction(async (tx) => {
        await failTask(tx, taskId, new Error("encoder failed"));
        throw new Error("lease lost");
      }),
    ).rejects.toThrow("lease lost");
    await settleByteRemovals();
    expect(await prisma.file.findUnique({ where: { id: fileId } })).not.toBeNull();
    expect(await stored(key)).toBe(true);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe("processing");
  });

  it("removes the stored bytes once the transaction has committed", async () => {
    const { taskId, fileId, key } = await taskWithStoredOutput();
    const prisma = await db();
    await prisma.$transaction(async (tx) => {
      await cancelTaskWork(tx, taskId);
      // Still inside the transaction: nothing is removed before it commits.
      expect(await stored(key)).toBe(true);
    });
    await settleByteRemovals();
    expect(await prisma.file.findUnique({ where: { id: fileId } })).toBeNull();
    expect(await stored(key)).toBe(false);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe("cancelled");
  });
});
