// Waiting for a task to settle, for the synchronous APIs (POST /files) built on asynchronous work.
import { db } from "@/lib/db/client";
import type { Task } from "@/lib/db/generated/client";
import { isTerminal } from "@/lib/tasks/status";

export async function waitForTask(taskId: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Task> {
  const prisma = await db();
  const deadline = Date.now() + options.timeoutMs;
  let delay = 25;
  for (;;) {
    const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId } });
    if (isTerminal(task.status) || Date.now() >= deadline || options.signal?.aborted) return task;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, deadline - Date.now()))));
    delay = Math.min(delay * 2, 100);
  }
}
