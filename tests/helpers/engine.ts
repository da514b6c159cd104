// Starts the embedded engine inside a test process, with quick polling, and waits on executions.
import { workflows } from "@/inngest/functions";
import { db } from "@/lib/db/client";
import { startWorker, type Worker, type WorkerOptions } from "@/lib/engine/embedded";
import { setLocalWorker } from "@/lib/engine/engine";
import type { WorkflowDefinition } from "@/lib/engine/types";
import { isTerminal } from "@/lib/tasks/status";
import { waitFor } from "@/tests/helpers/wait";

export { waitFor };

export function startTestWorker(options: Partial<WorkerOptions> = {}): Worker {
  const worker = startWorker({
    definitions: options.definitions ?? workflows,
    concurrency: options.concurrency ?? 2,
    leaseMs: options.leaseMs ?? 30_000,
    pollMs: options.pollMs ?? 50,
    log: options.log ?? (() => undefined),
  });
  if (!options.definitions) setLocalWorker(worker);
  return worker;
}

export async function stopTestWorker(worker: Worker): Promise<void> {
  await worker.stop({ graceMs: 5_000 });
  setLocalWorker(undefined);
}


export async function waitForTaskDone(taskId: string, timeoutMs = 60_000) {
  const prisma = await db();
  return waitFor(
    async () => {
      const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId } });
      return isTerminal(task.status) ? task : null;
    },
    timeoutMs,
    `task ${taskId}`,
  );
}

export type { WorkflowDefinition };
