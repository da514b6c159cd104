// Where work goes: the embedded engine (executions in our database) by default, Inngest when
// INNGEST_EVENT_KEY/INNGEST_SIGNING_KEY or INNGEST_DEV is set. Services enqueue by workflow name.
import { db } from "@/lib/db/client";
import type { Json, Tx } from "@/lib/engine/types";
import type { Worker } from "@/lib/engine/embedded";
import { CancelledError } from "@/lib/engine/errors";
import type { HeadStart, HeadStartRun } from "@/lib/engine/head-starts";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";

export type EngineMode = "embedded" | "inngest";

export function engineMode(): EngineMode {
  const { INNGEST_EVENT_KEY, INNGEST_SIGNING_KEY, INNGEST_DEV } = env();
  return INNGEST_EVENT_KEY || INNGEST_SIGNING_KEY || INNGEST_DEV ? "inngest" : "embedded";
}

export function eventName(workflow: string): string {
  return `mediabit/${workflow}`;
}

type Sender = (event: { name: string; data: Record<string, Json>; id?: string }) => Promise<unknown>;
const globalForEngine = globalThis as unknown as { __mediabitWorker?: Worker; __mediabitSender?: Sender };

export function setLocalWorker(worker: Worker | undefined): void {
  globalForEngine.__mediabitWorker = worker;
}

export function localWorker(): Worker | undefined {
  return globalForEngine.__mediabitWorker;
}

/** Set by the Inngest client module at start-up; kept as a hook so lib/ never imports inngest/. */
export function setInngestSender(sender: Sender): void {
  globalForEngine.__mediabitSender = sender;
}

/** The head start this process's worker began for the execution with this key, if any (see `enqueue`). */
export function takeHeadStart(key: string, fits?: (run: HeadStartRun) => boolean): HeadStartRun | undefined {
  return localWorker()?.takeHeadStart(key, fits);
}

export type Enqueued = {
  executionId: string;
  workflow: string;
  key: string;
  projectId?: string;
  payload: Record<string, Json>;
  /** Created already leased to this process's worker, which runs it once the transaction commits (`dispatch`). */
  handover?: { worker: Worker; maxAttempts: number };
};

/**
 * Records an execution in the same transaction as the rows it works on, so a task can never exist
 * without its work (or the reverse). Call `dispatch` after the transaction commits.
 */
export async function enqueue(
  tx: Tx,
  workflow: string,
  payload: Record<string, Json>,
  options: {
    key: string;
    projectId?: string;
    maxAttempts?: number;
    runAt?: Date;
    /** Work to begin at once if this process's worker will run the execution; it takes it over with `takeHeadStart`. */
    headStart?: HeadStart;
  },
): Promise<Enqueued> {
  const executionId = newId("exe");
  const maxAttempts = options.maxAttempts ?? env().MEDIABIT_TASK_MAX_ATTEMPTS;
  const inngest = engineMode() === "inngest";
  // Work due now, with a free slot in this process: start it here without a claim round trip.
  const worker = inngest || (options.runAt && options.runAt.getTime() > Date.now()) ? undefined : localWorker();
  const lease = worker?.offer(options.projectId, options.headStart && { ...options.headStart, key: options.key });
  // createMany: one INSERT without RETURNING (nothing is read back).
  await tx.execution.createMany({
    data: {
      id: executionId,
      projectId: options.projectId,
      function: workflow,
      payload,
      key: options.key,
      maxAttempts,
      runAt: options.runAt ?? new Date(),
      // Inngest runs it; the row stays as the record that it was sent.
      status: inngest || lease ? "running" : "queued",
      ...(lease ? { attempt: 1, leaseOwner: lease.owner, leaseExpiresAt: lease.expiresAt, startedAt: new Date() } : {}),
    },
  });
  return {
    executionId,
    workflow,
    key: options.key,
    projectId: options.projectId,
    payload,
    ...(worker && lease ? { handover: { worker, maxAttempts } } : {}),
  };
}

/** After commit: wake the local worker, or hand the events to Inngest. */
export async function dispatch(enqueued: Enqueued[]): Promise<void> {
  if (enqueued.length === 0) return;
  if (engineMode() === "embedded") {
    for (const item of enqueued) {
      item.handover?.worker.adopt({
        id: item.executionId,
        projectId: item.projectId,
        key: item.key,
        function: item.workflow,
        payload: item.payload,
        maxAttempts: item.handover.maxAttempts,
      });
    }
    if (enqueued.some((item) => !item.handover)) localWorker()?.wake();
    return;
  }
  const send = globalForEngine.__mediabitSender;
  if (!send) throw new Error("Inngest is configured but its client was not started");
  // projectId keys each project's own concurrency on Inngest (inngest/client.ts).
  for (const item of enqueued) {
    await send({ name: eventName(item.workflow), data: { ...item.payload, key: item.key, ...(item.projectId ? { projectId: item.projectId } : {}) }, id: item.key });
  }
}

/** Asks for an execution to stop: queued ones end at once, running ones at their next heartbeat. */
export async function requestCancel(key: string): Promise<void> {
  const prisma = await db();
  const execution = await prisma.execution.findUnique({ where: { key } });
  if (!execution) return;
  await prisma.execution.update({ where: { id: execution.id }, data: { cancelRequested: true } });
  if (engineMode() === "inngest") {
    await globalForEngine.__mediabitSender?.({ name: "mediabit/execution.cancel", data: { key } });
    return;
  }
  if (!localWorker()?.abortLocal(execution.id, new CancelledError())) localWorker()?.wake();
}
