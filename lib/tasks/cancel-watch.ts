// A running task stops when it is cancelled, whichever driver runs it. The embedded engine aborts its own worker's
// signal, but cannot reach a step running in another process; Inngest cancels only between steps and never aborts a
// running one. So a running task also watches its row (and the cancel flag of the execution that owns it).
import { db } from "@/lib/db/client";
import { CancelledError } from "@/lib/engine/errors";

const EVERY_MS = 1000;

export type CancelWatch = { signal: AbortSignal; stop: () => void };

/** Whether the task was cancelled, or the execution of it, its job or its run was asked to stop. */
async function isTaskCancelled(taskId: string): Promise<boolean> {
  const prisma = await db();
  const [row] = await prisma.$queryRaw<{ cancelled: boolean }[]>`
    SELECT t.status = 'cancelled' OR EXISTS (
      SELECT 1 FROM executions e
      WHERE e.cancel_requested AND e.key IN ('task:' || t.id, 'job:' || t.job_id, 'run:' || t.run_id)
    ) AS cancelled
    FROM tasks t WHERE t.id = ${taskId}`;
  // A task that no longer exists has nothing left to work for.
  return row?.cancelled ?? true;
}

/** A signal that aborts with `parent`, or when the task turns out cancelled (checked every `everyMs`); `stop` ends the watch. */
export function watchTaskCancel(taskId: string, parent: AbortSignal, everyMs = EVERY_MS): CancelWatch {
  const controller = new AbortController();
  const follow = () => controller.abort(parent.reason);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    parent.removeEventListener("abort", follow);
  };
  const check = async () => {
    // A failed check (a busy pool, a restart) is tried again next time: it never stops the work by itself.
    const cancelled = await isTaskCancelled(taskId).catch(() => false);
    if (stopped) return;
    if (cancelled) {
      controller.abort(new CancelledError(`task ${taskId} was cancelled`));
      stop();
      return;
    }
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => void check(), everyMs);
    // The watch alone never keeps the process alive.
    timer.unref();
  };
  if (parent.aborted) follow();
  else {
    parent.addEventListener("abort", follow, { once: true });
    schedule();
  }
  controller.signal.addEventListener("abort", stop, { once: true });
  return { signal: controller.signal, stop };
}
