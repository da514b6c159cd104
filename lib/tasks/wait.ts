// Waiting for a task to settle, for the synchronous APIs (POST /files) built on asynchronous work.
import { db } from "@/lib/db/client";
import type { Task } from "@/lib/db/generated/client";
import { settledOrTimeout } from "@/lib/engine/settled";
import { isTerminal } from "@/lib/tasks/status";
import { taskExecutionKey } from "@/lib/tasks/execution-key";

export async function waitForTask(taskId: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Task> {
  const prisma = await db();
  const deadline = Date.now() + options.timeoutMs;
  let delay = 25;
  for (;;) {
    const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId } });
    if (isTerminal(task.status) || Date.now() >= deadline || options.signal?.aborted) return task;
    // Woken early when this process's worker finishes the task; otherwise the next poll finds it.
    await settledOrTimeout(taskExecutionKey(taskId), Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 2, 100);
  }
}
