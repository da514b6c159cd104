// Cancelling a task that finishes at the same moment: the finished result stays (conditional update), the caller hears 409.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { cancelTask } from "@/lib/tasks/tasks";
import { call, createTestProject } from "@/tests/helpers/api";

async function queuedTask() {
  const p = await createTestProject("latest");
  const res = await call("POST", "/api/tasks", { key: p.key, body: { kind: "ingest", url: "http://127.0.0.1:9/clip.mp4" } });
  expect(res.status).toBe(201);
  return { p, scope: { projectId: p.projectId, orgId: p.orgId }, id: res.body.id as string };
}

describe("cancelTask", () => {
  it("does not overwrite a task that succeeded between its read and its write", async () => {
    const { scope, id } = await queuedTask();
    const prisma = await db();
    const finishedAt = new Date();
    let hookRan = false;
    const cancelling = cancelTask(scope, id, {
      afterRead: async () => {
        hookRan = true;
        // The worker publishes the task's output right now.
        await prisma.task.update({ where: { id }, data: { status: "succeeded", finishedAt, progress: 100 } });
      },
    });
    await expect(cancelling).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("succeeded") });
    expect(hookRan).toBe(true);
    const row = await prisma.task.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("succeeded");
    expect(row.error).toBeNull();
    expect(row.finishedAt?.getTime()).toBe(finishedAt.getTime());
  });

  it("cancels a task that is still waiting", async () => {
    const { p, id } = await queuedTask();
    const res = await call("POST", `/api/tasks/${id}/cancel`, { key: p.key });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("cancelled");
    const again = await call("POST", `/api/tasks/${id}/cancel`, { key: p.key });
    expect(again.status).toBe(409);
  });
});
