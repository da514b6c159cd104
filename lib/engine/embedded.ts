// The embedded durable engine's worker loop: polls for due executions and claims them fairly (lib/engine/queue.ts),
// runs each with a heartbeat (lib/engine/step-runner.ts runs the attempt itself), takes over work handed to it at
// enqueue time with its head start (lib/engine/head-starts.ts), and shuts down by handing back what did not finish. Any number of processes against one PostgreSQL
// share the queue; `attempt` fences out a worker whose lease expired.
import os from "node:os";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { LeaseLostError } from "@/lib/engine/errors";
import { headStartRegistry, type HeadStart, type HeadStartRun } from "@/lib/engine/head-starts";
import { claimExecutions, handBack, releaseAfterOutage, releaseAll, renewLease, type Claimed, type ProjectState } from "@/lib/engine/queue";
import {
  HEARTBEATS_PER_LEASE,
  MAINTENANCE_EVERY_MS,
  MIN_HEARTBEAT_MS,
  OUTAGE_BACKOFF_MAX_MS,
  OUTAGE_HANDBACK_MEMORY,
  OUTAGE_HANDBACKS_MAX,
  SERVED_MEMORY,
  STOP_GRACE_MS,
  backoffMs,
  projectShare,
} from "@/lib/engine/settings";
import { announceSettled } from "@/lib/engine/settled";
import { errorText, runExecution } from "@/lib/engine/step-runner";
import type { Json, WorkflowDefinition } from "@/lib/engine/types";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { CancelledError } from "@/lib/engine/errors";

export type WorkerOptions = {
  definitions: WorkflowDefinition<never>[];
  concurrency?: number;
  /**
   * Executions of one project this worker runs at once while another project's work waits (MEDIABIT_PROJECT_CONCURRENCY;
   * default half the slots, at least one). A project alone may use every slot.
   */
  projectConcurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Periodic housekeeping (sweeps, expiries); runs about every MAINTENANCE_EVERY_MS. */
  maintenance?: () => Promise<void>;
  log?: (line: string) => void;
};

/** An execution created already leased to this worker (see `Worker.offer`). */
export type HandedOver = { id: string; projectId?: string | null; key: string; function: string; payload: Record<string, Json>; maxAttempts: number };

export type Worker = {
  id: string;
  /** Claim now instead of at the next poll (after a local enqueue). */
  wake(): void;
  /**
   * The lease for a new execution, when this worker has a free slot: the execution can then be written already
   * running (attempt 1) and handed over with `adopt` once its transaction commits, saving the claim. A hint, not a
   * reservation: `adopt` checks again. Never beyond the project's share of the slots (`projectConcurrency`): past it the
   * work is queued, and the claim, which sees every project's waiting work, decides.
   */
  offer(projectId?: string | null, headStart?: HeadStart & { key: string }): { owner: string; expiresAt: Date } | undefined;
  /**
   * Runs a committed execution that `offer` leased to us; with no free slot after all, puts it back in the queue and
   * drops its head start.
   */
  adopt(execution: HandedOver): void;
  /**
   * The head start `offer` began for the execution with this key, for that execution to continue; once taken it is the
   * taker's to dispose of. One not taken by the time its execution ends is dropped.
   */
  takeHeadStart(key: string, fits?: (run: HeadStartRun) => boolean): HeadStartRun | undefined;
  /** Abort a running execution of this process at once (cancel fast path). */
  abortLocal(executionId: string, reason: Error): boolean;
  active(): number;
  stop(options?: { graceMs?: number }): Promise<void>;
};

/**
 * When this worker last started each project's work (a sequence number; least recently served first in the map, at
 * most SERVED_MEMORY projects): among projects with equal turns, the one served longest ago goes first.
 */
function servedMemory() {
  const served = new Map<string, number>();
  let seq = 0;
  return {
    mark(project: string): void {
      served.delete(project);
      served.set(project, ++seq);
      if (served.size > SERVED_MEMORY) served.delete(served.keys().next().value as string);
    },
    entries: () => served.entries(),
  };
}

/**
 * How often this worker handed each execution back uncounted after "database unavailable" (at most
 * OUTAGE_HANDBACK_MEMORY executions, the least recently handed back forgotten first). Never reset by a success: an
 * execution lives through OUTAGE_HANDBACKS_MAX outages at most before they count.
 */
function handBackMemory() {
  const counts = new Map<string, number>();
  return {
    count: (executionId: string): number => counts.get(executionId) ?? 0,
    add(executionId: string): void {
      const count = (counts.get(executionId) ?? 0) + 1;
      counts.delete(executionId);
      counts.set(executionId, count);
      if (counts.size > OUTAGE_HANDBACK_MEMORY) counts.delete(counts.keys().next().value as string);
    },
  };
}

/** Whether the database is unreachable: one line when an outage starts and one when it ends, not one per poll. */
function outageTracker(log: (line: string) => void) {
  let since: number | undefined;
  return {
    down(error: unknown): void {
      if (since !== undefined) return;
      since = Date.now();
      log(`database unavailable, retrying until it is back: ${errorText(error)}`);
    },
    up(): void {
      if (since === undefined) return;
      log(`database back after ${Date.now() - since} ms`);
      since = undefined;
    },
  };
}

type Running = { project: string; controller: AbortController; done: Promise<void> };

export function startWorker(options: WorkerOptions): Worker {
  const id = `${os.hostname()}:${process.pid}:${newId("wrk", 8)}`;
  const concurrency = options.concurrency ?? env().MEDIABIT_WORKER_CONCURRENCY ?? os.availableParallelism();
  const projectConcurrency = options.projectConcurrency ?? projectShare(concurrency);
  const leaseMs = options.leaseMs ?? env().MEDIABIT_WORKER_LEASE_MS;
  const pollMs = options.pollMs ?? env().MEDIABIT_WORKER_POLL_MS;
  const heartbeatMs = Math.max(MIN_HEARTBEAT_MS, Math.floor(leaseMs / HEARTBEATS_PER_LEASE));
  const log = options.log ?? ((line: string) => console.log(`[engine] ${line}`));
  const definitions = new Map(options.definitions.map((d) => [d.name, d as WorkflowDefinition<Record<string, Json>>]));
  const running = new Map<string, Running>();
  const served = servedMemory();
  const handBacks = handBackMemory();
  const headStarts = headStartRegistry(log);
  let stopped = false;
  let claiming = false;
  let wakeAgain = false;
  let lastMaintenance = 0;
  const outage = outageTracker(log);
  // While the database is unreachable, claims back off from pollMs up to OUTAGE_BACKOFF_MAX_MS.
  let claimBackoffMs = 0;
  let nextClaimAt = 0;

  /** [running here, last served] per project ("" for work without one), for the claim. */
  function projectState(): ProjectState {
    const state: ProjectState = {};
    for (const [project, seq] of served.entries()) state[project] = [0, seq];
    for (const entry of running.values()) (state[entry.project] ??= [0, 0])[0]++;
    return state;
  }

  function runningFor(project: string): number {
    let count = 0;
    for (const entry of running.values()) if (entry.project === project) count++;
    return count;
  }

  function hasSlotFor(projectId: string | null | undefined): boolean {
    return !stopped && running.size < concurrency && runningFor(projectId ?? "") < projectConcurrency;
  }

  /**
   * Hands an execution whose attempt the database broke back to the queue as soon as it answers again: uncounted, until
   * this worker has done so OUTAGE_HANDBACKS_MAX times for it; then the attempt counts, with the usual backoff.
   */
  async function releaseWhenBack(execution: Claimed, error: unknown): Promise<void> {
    outage.down(error);
    const counted = handBacks.count(execution.id) >= OUTAGE_HANDBACKS_MAX;
    if (counted) log(`${execution.id}: handed back uncounted ${OUTAGE_HANDBACKS_MAX} times already, this attempt counts: ${errorText(error)}`);
    else handBacks.add(execution.id);
    const lease = { id: execution.id, attempt: execution.attempt, owner: id };
    const release = counted ? { counted, delayMs: backoffMs(execution.attempt) } : {};
    for (let delay = pollMs; ; delay = Math.min(delay * 2, OUTAGE_BACKOFF_MAX_MS)) {
      try {
        await releaseAfterOutage(lease, `database unavailable: ${errorText(error)}`, release);
        outage.up();
        return;
      } catch (caught) {
        // Stopping, or a failure of another kind: the lease expires and the attempt counts after all.
        if (stopped || !isDatabaseUnavailable(caught)) return log(`hand back ${execution.id} after an outage: ${errorText(caught)} (its lease will expire)`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async function heartbeat(execution: Claimed, controller: AbortController): Promise<void> {
    const renewed = await renewLease({ id: execution.id, attempt: execution.attempt, owner: id }, leaseMs);
    if (!renewed) controller.abort(new LeaseLostError(execution.id, execution.attempt));
    else if (renewed.cancelRequested) controller.abort(new CancelledError());
  }

  function launch(execution: Claimed): void {
    const controller = new AbortController();
    const beat = setInterval(() => {
      heartbeat(execution, controller).catch((error: unknown) =>
        isDatabaseUnavailable(error) ? outage.down(error) : log(`heartbeat ${execution.id}: ${errorText(error)}`),
      );
    }, heartbeatMs);
    const handBackOutage = handBacks.count(execution.id) < OUTAGE_HANDBACKS_MAX;
    const done = runExecution(execution, { owner: id, definition: definitions.get(execution.function), controller, log, handBackOutage })
      .catch((error: unknown) => {
        if (isDatabaseUnavailable(error)) return releaseWhenBack(execution, error);
        if (!(error instanceof LeaseLostError)) log(`${execution.id} (${execution.function}) crashed the runner: ${errorText(error)}`);
      })
      .finally(() => {
        clearInterval(beat);
        running.delete(execution.id);
        headStarts.discard(execution.key);
        // Its writes have committed (or it was handed on): a waiter in this process need not wait for its next poll.
        announceSettled(execution.key);
        if (!stopped) wake();
      });
    running.set(execution.id, { project: execution.project_id ?? "", controller, done });
    served.mark(execution.project_id ?? "");
  }

  function maybeMaintain(): void {
    if (!options.maintenance || Date.now() - lastMaintenance <= MAINTENANCE_EVERY_MS) return;
    lastMaintenance = Date.now();
    options.maintenance().catch((error: unknown) => log(`maintenance: ${errorText(error)}`));
  }

  async function tick(): Promise<void> {
    if (stopped || Date.now() < nextClaimAt) return;
    if (claiming) {
      wakeAgain = true;
      return;
    }
    claiming = true;
    try {
      do {
        wakeAgain = false;
        const free = concurrency - running.size;
        if (free <= 0) break;
        const claimed = await claimExecutions({ owner: id, limit: free, leaseMs, projectConcurrency, projects: projectState(), running: [...running.keys()] });
        claimBackoffMs = 0;
        outage.up();
        for (const execution of claimed) launch(execution);
        if (claimed.length === free) wakeAgain = true;
      } while (wakeAgain && !stopped);
      maybeMaintain();
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        outage.down(error);
        claimBackoffMs = Math.min(Math.max(pollMs, claimBackoffMs * 2), OUTAGE_BACKOFF_MAX_MS);
        nextClaimAt = Date.now() + claimBackoffMs;
      } else log(`claim failed: ${errorText(error)}`);
    } finally {
      claiming = false;
    }
  }

  function wake(): void {
    void tick();
  }

  const timer = setInterval(wake, pollMs);
  timer.unref();
  wake();

  return {
    id,
    wake,
    offer(projectId, headStart) {
      if (!hasSlotFor(projectId)) return undefined;
      // Work that would start at once starts now, while its transaction is still writing.
      if (headStart) headStarts.begin(headStart.key, headStart);
      return { owner: id, expiresAt: new Date(Date.now() + leaseMs) };
    },
    adopt(execution) {
      if (!hasSlotFor(execution.projectId)) {
        headStarts.discard(execution.key);
        handBack(execution.id, id).then(
          () => wake(),
          (error: unknown) => log(`hand back ${execution.id}: ${errorText(error)} (its lease will expire)`),
        );
        return;
      }
      const { id: executionId, key, payload, maxAttempts } = execution;
      launch({ id: executionId, project_id: execution.projectId ?? null, key, function: execution.function, payload, attempt: 1, max_attempts: maxAttempts, cancel_requested: false, resumed: false });
    },
    takeHeadStart: (key, fits) => headStarts.take(key, fits),
    abortLocal(executionId, reason) {
      const entry = running.get(executionId);
      if (!entry) return false;
      entry.controller.abort(reason);
      return true;
    },
    active: () => running.size,
    async stop({ graceMs = STOP_GRACE_MS } = {}) {
      stopped = true;
      clearInterval(timer);
      const all = Promise.all([...running.values()].map((r) => r.done));
      const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
      if (!timedOut) return;
      // Hand unfinished work back at once instead of waiting for the lease to expire.
      for (const [executionId, entry] of running) entry.controller.abort(new LeaseLostError(executionId, 0));
      await releaseAll(id);
    },
  };
}
