// The step interface every workflow is written against, shaped like Inngest's (`step.run(id, fn)`),
// so one function body runs on the embedded engine and on Inngest.
import type { Prisma } from "@/lib/db/generated/client";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Tx = Prisma.TransactionClient;

export type StepApi = {
  /** Runs `fn` once per execution: a replay after a crash or retry returns the stored result. */
  run<T extends Json | void>(id: string, fn: () => Promise<T>): Promise<T>;
};

/**
 * Writes that must not happen if this worker lost its lease (paused, partitioned, replaced): the
 * callback runs in a transaction holding the execution row, after checking the attempt we hold.
 */
export type Fence = { commit<T>(fn: (tx: Tx) => Promise<T>): Promise<T> };

export type WorkflowContext<P> = {
  payload: P;
  step: StepApi;
  fence: Fence;
  /** Aborted on cancel or lost lease: pass it to ffmpeg, fetches and uploads. */
  signal: AbortSignal;
  attempt: number;
  executionId: string;
};

export type WorkflowDefinition<P = Record<string, Json>> = {
  /** Stable name; also the Inngest function id. */
  name: string;
  /** The Inngest event that starts it. */
  event: string;
  maxAttempts?: number;
  handler: (ctx: WorkflowContext<P>) => Promise<Json | void>;
  /** Runs once when the execution has failed for good (inside the fence on the embedded engine). */
  onFailure?: (args: { payload: P; error: Error; tx: Tx }) => Promise<void>;
  /** Runs once when the execution is cancelled. */
  onCancel?: (args: { payload: P; tx: Tx }) => Promise<void>;
};
