// Runs one claimed attempt of an execution: replays memoized steps, fences writes behind the lease, and ends the
// attempt (completed, failed, cancelled, or queued again with backoff). It knows nothing of polling or slots.
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { CancelledError, LeaseLostError, NonRetriableError, isAbortLike } from "@/lib/engine/errors";
import {
  assertHeld,
  completeExecution,
  finishExecution,
  loadSteps,
  retryExecution,
  saveSteps,
  type Claimed,
  type Lease,
  type SavedStep,
} from "@/lib/engine/queue";
import { backoffMs } from "@/lib/engine/settings";
import type { Fence, Json, StepApi, WorkflowDefinition } from "@/lib/engine/types";

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Writes that commit only while the lease is held: a transaction that first locks and checks the execution row. */
function fenceFor(lease: Lease): Fence {
  return {
    async commit(fn) {
      const prisma = await db();
      return prisma.$transaction(async (tx) => {
        await assertHeld(tx, lease);
        return fn(tx);
      });
    },
  };
}

/**
 * The step API over a memo. A finished step's result is saved just before the next step starts (or with a retry), and
 * not at all when the handler then returns: the completed execution never replays. A restart still resumes after
 * every step that another step followed.
 */
function stepRunner(execution: Claimed, lease: Lease, memo: Map<string, Json>, signal: AbortSignal) {
  const seen = new Set<string>();
  let unsaved: SavedStep[] = [];
  let saving: Promise<void> = Promise.resolve();
  const saveFinishedSteps = (): Promise<void> => {
    const batch = unsaved;
    unsaved = [];
    saving = saving.then(() => (batch.length > 0 ? saveSteps(lease, batch) : undefined));
    return saving;
  };
  const step: StepApi = {
    run: async <T extends Json | void>(stepId: string, fn: () => Promise<T>): Promise<T> => {
      if (seen.has(stepId)) throw new Error(`step id "${stepId}" used twice in ${execution.function}`);
      seen.add(stepId);
      if (memo.has(stepId)) return memo.get(stepId) as T;
      await saveFinishedSteps();
      signal.throwIfAborted();
      const output = await fn();
      memo.set(stepId, (output ?? null) as Json);
      unsaved.push({ stepId, output: (output ?? null) as Json });
      return output;
    },
  };
  return {
    step,
    /** Settles once every started save has. */
    saved: () => saving,
    /** Steps finished but not saved yet (taken: the caller saves them). */
    takeUnsaved: (): SavedStep[] => {
      const batch = unsaved;
      unsaved = [];
      return batch;
    },
  };
}

export type RunContext = {
  owner: string;
  definition: WorkflowDefinition<Record<string, Json>> | undefined;
  controller: AbortController;
  log: (line: string) => void;
  /** False once the worker has handed this execution back uncounted too often: "unavailable" then fails the attempt. */
  handBackOutage?: boolean;
};

/**
 * Runs the attempt to its end; a lost lease ends it quietly (another worker has it). Throws when the database is
 * unavailable (isDatabaseUnavailable): the caller hands the execution back without counting the attempt (unless
 * `handBackOutage` is false: then only a failure to record the outcome throws).
 */
export async function runExecution(execution: Claimed, { owner, definition, controller, log, handBackOutage = true }: RunContext): Promise<void> {
  const lease: Lease = { id: execution.id, attempt: execution.attempt, owner };
  const fence = fenceFor(lease);
  if (!definition) {
    await fence.commit((tx) => finishExecution(tx, execution.id, "failed", { lastError: `no workflow named ${execution.function} in this build` }));
    return;
  }
  const cancel = () =>
    fence.commit(async (tx) => {
      await definition.onCancel?.({ payload: execution.payload, tx });
      await finishExecution(tx, execution.id, "cancelled", {});
    });
  const fail = (error: Error) =>
    fence.commit(async (tx) => {
      await definition.onFailure?.({ payload: execution.payload, error, tx });
      await finishExecution(tx, execution.id, "failed", { lastError: error.message });
    });
  if (execution.cancel_requested) return cancel();
  if (execution.attempt > execution.max_attempts) {
    return fail(new Error(`gave up after ${execution.max_attempts} attempts (the worker running it stopped or crashed)`));
  }

  // A first attempt cannot have stored anything yet, unless an outage handed it back.
  const memo = execution.attempt > 1 || execution.resumed ? await loadSteps(execution.id) : new Map<string, Json>();
  const steps = stepRunner(execution, lease, memo, controller.signal);
  try {
    const output = await definition.handler({
      payload: execution.payload,
      step: steps.step,
      fence,
      signal: controller.signal,
      attempt: execution.attempt,
      executionId: execution.id,
    });
    await steps.saved();
    await completeExecution(lease, (output ?? null) as Json);
  } catch (caught) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : caught;
    if (reason instanceof LeaseLostError || caught instanceof LeaseLostError) {
      log(`${execution.id}: ${errorText(reason)}`);
      return;
    }
    if (handBackOutage && isDatabaseUnavailable(caught)) {
      // Not the work's fault and no attempt used up: the worker hands it back once the database answers again.
      await steps.saved().catch(() => undefined);
      throw caught;
    }
    if (reason instanceof CancelledError || (!controller.signal.aborted && isAbortLike(caught))) return cancel();
    const error = caught instanceof Error ? caught : new Error(String(caught));
    if (error instanceof NonRetriableError || execution.attempt >= execution.max_attempts) return fail(error);
    const delay = backoffMs(execution.attempt);
    log(`${execution.id} attempt ${execution.attempt} failed, retrying in ${delay} ms: ${error.message}`);
    // A save that failed already failed the handler; its steps simply run again on the next attempt.
    await steps.saved().catch(() => undefined);
    const unsaved = steps.takeUnsaved();
    await fence.commit(async (tx) => {
      // The next attempt resumes after every step this one finished.
      if (unsaved.length > 0) await saveSteps(lease, unsaved, tx);
      await retryExecution(tx, execution.id, error.message, delay);
    });
  }
}
