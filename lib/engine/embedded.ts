// The embedded durable engine: executions live in the database, are claimed with
// FOR UPDATE SKIP LOCKED, leased with a heartbeat, retried with exponential backoff, and each
// completed step is memoized (before the next one starts), so a crash resumes at the next step. Any number of processes
// against one PostgreSQL share the queue; `attempt` fences out a worker whose lease expired.
import os from "node:os";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { CancelledError, LeaseLostError, NonRetriableError, isAbortLike } from "@/lib/engine/errors";
import { announceSettled } from "@/lib/engine/settled";
import type { Fence, Json, StepApi, Tx, WorkflowDefinition } from "@/lib/engine/types";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";

type SavedStep = { stepId: string; output: Json };

type Claimed = {
  id: string;
  project_id: string | null;
  key: string;
  function: string;
  payload: Record<string, Json>;
  attempt: number;
  max_attempts: number;
  cancel_requested: boolean;
};

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
  /** Periodic housekeeping (sweeps, expiries); runs about once a minute. */
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
  offer(projectId?: string | null): { owner: string; expiresAt: Date } | undefined;
  /** Runs a committed execution that `offer` leased to us; with no free slot after all, puts it back in the queue. */
  adopt(execution: HandedOver): void;
  /** Abort a running execution of this process at once (cancel fast path). */
  abortLocal(executionId: string, reason: Error): boolean;
  active(): number;
  stop(options?: { graceMs?: number }): Promise<void>;
};

/** Slots one project may hold while another project's work waits: MEDIABIT_PROJECT_CONCURRENCY, else half, at least one. */
export function projectShare(concurrency = env().MEDIABIT_WORKER_CONCURRENCY ?? os.availableParallelism()): number {
  return env().MEDIABIT_PROJECT_CONCURRENCY ?? Math.max(1, Math.floor(concurrency / 2));
}

/** Candidates a claim considers beyond the slots it fills, for rows another worker is claiming at the same moment. */
const CLAIM_SPARES = 16;

/**
 * Projects whose last turn a worker remembers, sent with every claim. The least recently served is forgotten first, and a
 * forgotten project counts as never served, which keeps it where it was in the order: first.
 */
const SERVED_MEMORY = 100;

function backoffMs(attempt: number): number {
  const base = env().MEDIABIT_RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(base, 5 * 60_000);
  return Math.round(capped * (0.8 + Math.random() * 0.4));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function startWorker(options: WorkerOptions): Worker {
  const id = `${os.hostname()}:${process.pid}:${newId("wrk", 8)}`;
  const concurrency = options.concurrency ?? env().MEDIABIT_WORKER_CONCURRENCY ?? os.availableParallelism();
  const projectConcurrency = options.projectConcurrency ?? projectShare(concurrency);
  const leaseMs = options.leaseMs ?? env().MEDIABIT_WORKER_LEASE_MS;
  const pollMs = options.pollMs ?? env().MEDIABIT_WORKER_POLL_MS;
  const log = options.log ?? ((line: string) => console.log(`[engine] ${line}`));
  const definitions = new Map(options.definitions.map((d) => [d.name, d as WorkflowDefinition<Record<string, Json>>]));
  const running = new Map<string, { project: string; controller: AbortController; done: Promise<void> }>();
  let stopped = false;
  let claiming = false;
  let wakeAgain = false;
  let lastMaintenance = 0;

  // When this worker last started each project's work (a sequence number; least recently used last in the map, at
  // most SERVED_MEMORY projects): among projects with equal turns, the one served longest ago goes first.
  const served = new Map<string, number>();
  let serveSeq = 0;
  function markServed(project: string): void {
    served.delete(project);
    served.set(project, ++serveSeq);
    if (served.size > SERVED_MEMORY) served.delete(served.keys().next().value as string);
  }

  /** [running here, last served] per project ("" for work without one), for the claim. */
  function projectState(): Record<string, [number, number]> {
    const state: Record<string, [number, number]> = {};
    for (const [project, seq] of served) state[project] = [0, seq];
    for (const entry of running.values()) (state[entry.project] ??= [0, 0])[0]++;
    return state;
  }

  function runningFor(project: string): number {
    let count = 0;
    for (const entry of running.values()) if (entry.project === project) count++;
    return count;
  }

  /**
   * Claims up to `limit` due executions, fairly: each project's due work is numbered from what this worker already runs
   * for it (its 1st waiting execution is its running count + 1, …), and the lowest numbers go first; among equals, the
   * project this worker served longest ago, then the oldest. Projects thus take turns instead of the oldest queue
   * winning. While more than one project has work waiting, a project's number may not pass its share
   * (`projectConcurrency`); a project alone may fill every slot. Rows another worker is claiming are skipped, and the
   * next in the same order taken.
   */
  async function claim(limit: number): Promise<Claimed[]> {
    const prisma = await db();
    return prisma.$queryRaw<Claimed[]>`
      WITH due AS (
        SELECT id, run_at, created_at, COALESCE(project_id, '') AS project
          FROM executions
         WHERE (status = 'queued' AND run_at <= now())
            OR (status = 'running' AND lease_expires_at < now())),
      -- Whether more than one project has work due; stops at the first row of a second project.
      mixed AS (SELECT EXISTS (SELECT 1 FROM due WHERE project <> (SELECT project FROM due LIMIT 1)) AS yes),
      here AS (SELECT key AS project, (value->>0)::int AS n, (value->>1)::bigint AS served
                 FROM jsonb_each(${JSON.stringify(projectState())}::jsonb)),
      -- The next few in turn order (spares for rows another worker locks first). Only one of the two branches runs: a
      -- project alone simply takes the oldest, with no numbering. Materialized, so the lock below looks each one up by
      -- its key instead of rescanning the queue per row.
      picked AS MATERIALIZED (
        (SELECT id, run_at, created_at, 0::bigint AS turn, 0::bigint AS served FROM due
          WHERE NOT (SELECT yes FROM mixed)
          ORDER BY run_at, created_at
          LIMIT ${limit + CLAIM_SPARES})
        UNION ALL
        (SELECT id, run_at, created_at, turn, served FROM (
            SELECT due.id, due.run_at, due.created_at, COALESCE(here.served, 0) AS served,
                   row_number() OVER (PARTITION BY due.project ORDER BY due.run_at, due.created_at, due.id) + COALESCE(here.n, 0) AS turn
              FROM due LEFT JOIN here ON here.project = due.project
             WHERE (SELECT yes FROM mixed)) AS numbered
          WHERE turn <= ${projectConcurrency}
          ORDER BY turn, served, run_at, created_at
          LIMIT ${limit + CLAIM_SPARES}))
      UPDATE executions AS e
         SET status = 'running', attempt = e.attempt + 1, lease_owner = ${id},
             lease_expires_at = now() + (${leaseMs}::int * interval '1 millisecond'),
             started_at = COALESCE(e.started_at, now()), updated_at = now()
        FROM (SELECT x.id FROM executions AS x JOIN picked ON picked.id = x.id
               -- Rechecked on the locked row (one another worker claimed since the snapshot is passed over); the text
               -- comparison keeps the planner on the primary key here instead of rescanning the queue for each row.
               WHERE (x.status::text = 'queued' AND x.run_at <= now())
                  OR (x.status::text = 'running' AND x.lease_expires_at < now())
               ORDER BY picked.turn, picked.served, picked.run_at, picked.created_at
               LIMIT ${limit}
               FOR UPDATE OF x SKIP LOCKED) AS c
       WHERE e.id = c.id
   RETURNING e.id, e.project_id, e.key, e.function, e.payload, e.attempt, e.max_attempts, e.cancel_requested`;
  }

  /** Locks our execution row and proves we still hold it; throws LeaseLostError otherwise. */
  async function assertHeld(tx: Tx, execution: Claimed): Promise<void> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM executions
       WHERE id = ${execution.id} AND attempt = ${execution.attempt} AND lease_owner = ${id}
         AND status = 'running' AND lease_expires_at > now()
       FOR UPDATE`;
    if (rows.length === 0) throw new LeaseLostError(execution.id, execution.attempt);
  }

  /**
   * Step results, written in one statement that also proves the lease is still ours. Within a transaction (`tx`) they
   * commit with the caller's other writes.
   */
  async function saveSteps(execution: Claimed, steps: readonly SavedStep[], tx?: Tx): Promise<void> {
    const client = tx ?? (await db());
    const rows = await client.$queryRaw<{ step_id: string }[]>`
      WITH held AS (
        SELECT id FROM executions
         WHERE id = ${execution.id} AND attempt = ${execution.attempt} AND lease_owner = ${id}
           AND status = 'running' AND lease_expires_at > now()
         FOR UPDATE)
      INSERT INTO execution_steps (execution_id, step_id, output, created_at)
      SELECT held.id, s.step_id, s.output, now()
        FROM held, jsonb_to_recordset(${JSON.stringify(steps.map((s) => ({ step_id: s.stepId, output: s.output })))}::jsonb)
             AS s(step_id text, output jsonb)
      RETURNING step_id`;
    if (rows.length !== steps.length) throw new LeaseLostError(execution.id, execution.attempt);
  }

  /** Success, as one conditional update: nothing changes unless this worker still holds the lease. */
  async function completeExecution(execution: Claimed, output: Json): Promise<void> {
    const prisma = await db();
    const rows = await prisma.$queryRaw<{ id: string }[]>`
      UPDATE executions SET status = 'completed', output = ${JSON.stringify(output)}::jsonb, last_error = NULL,
             lease_owner = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now()
       WHERE id = ${execution.id} AND attempt = ${execution.attempt} AND lease_owner = ${id}
         AND status = 'running' AND lease_expires_at > now()
   RETURNING id`;
    if (rows.length === 0) throw new LeaseLostError(execution.id, execution.attempt);
  }

  function fenceFor(execution: Claimed): Fence {
    return {
      async commit(fn) {
        const prisma = await db();
        return prisma.$transaction(async (tx) => {
          await assertHeld(tx, execution);
          return fn(tx);
        });
      },
    };
  }

  async function heartbeat(execution: Claimed, controller: AbortController): Promise<void> {
    const prisma = await db();
    const rows = await prisma.$queryRaw<{ cancel_requested: boolean }[]>`
      UPDATE executions SET lease_expires_at = now() + (${leaseMs}::int * interval '1 millisecond')
       WHERE id = ${execution.id} AND attempt = ${execution.attempt} AND lease_owner = ${id} AND status = 'running'
   RETURNING cancel_requested`;
    const row = rows[0];
    if (!row) controller.abort(new LeaseLostError(execution.id, execution.attempt));
    else if (row.cancel_requested) controller.abort(new CancelledError());
  }

  async function execute(execution: Claimed, controller: AbortController): Promise<void> {
    const definition = definitions.get(execution.function);
    const fence = fenceFor(execution);
    const prisma = await db();
    if (!definition) {
      await fence.commit((tx) => finish(tx, execution, "failed", { lastError: `no workflow named ${execution.function} in this build` }));
      return;
    }
    if (execution.cancel_requested) {
      await fence.commit(async (tx) => {
        await definition.onCancel?.({ payload: execution.payload, tx });
        await finish(tx, execution, "cancelled", {});
      });
      return;
    }
    if (execution.attempt > execution.max_attempts) {
      const error = new Error(`gave up after ${execution.max_attempts} attempts (the worker running it stopped or crashed)`);
      await fence.commit(async (tx) => {
        await definition.onFailure?.({ payload: execution.payload, error, tx });
        await finish(tx, execution, "failed", { lastError: error.message });
      });
      return;
    }

    const memo = new Map<string, Json>();
    // A first attempt cannot have stored anything yet.
    if (execution.attempt > 1) {
      for (const row of await prisma.executionStep.findMany({ where: { executionId: execution.id } })) memo.set(row.stepId, row.output as Json);
    }
    const seen = new Set<string>();
    // A finished step's result is saved just before the next step starts (or with a retry), and not at all when the
    // handler then returns: the completed execution never replays. A restart still resumes after every step that
    // another step followed.
    let unsaved: SavedStep[] = [];
    let saving: Promise<void> = Promise.resolve();
    const saveFinishedSteps = (): Promise<void> => {
      const batch = unsaved;
      unsaved = [];
      saving = saving.then(() => (batch.length > 0 ? saveSteps(execution, batch) : undefined));
      return saving;
    };
    const step: StepApi = {
      run: async <T extends Json | void>(stepId: string, fn: () => Promise<T>): Promise<T> => {
        if (seen.has(stepId)) throw new Error(`step id "${stepId}" used twice in ${execution.function}`);
        seen.add(stepId);
        if (memo.has(stepId)) return memo.get(stepId) as T;
        await saveFinishedSteps();
        controller.signal.throwIfAborted();
        const output = await fn();
        memo.set(stepId, (output ?? null) as Json);
        unsaved.push({ stepId, output: (output ?? null) as Json });
        return output;
      },
    };

    try {
      const output = await definition.handler({
        payload: execution.payload,
        step,
        fence,
        signal: controller.signal,
        attempt: execution.attempt,
        executionId: execution.id,
      });
      await saving;
      await completeExecution(execution, (output ?? null) as Json);
    } catch (caught) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : caught;
      if (reason instanceof LeaseLostError || caught instanceof LeaseLostError) {
        log(`${execution.id}: ${errorText(reason)}`);
        return;
      }
      if (reason instanceof CancelledError || (!controller.signal.aborted && isAbortLike(caught))) {
        await fence.commit(async (tx) => {
          await definition.onCancel?.({ payload: execution.payload, tx });
          await finish(tx, execution, "cancelled", {});
        });
        return;
      }
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const permanent = error instanceof NonRetriableError || execution.attempt >= execution.max_attempts;
      if (permanent) {
        await fence.commit(async (tx) => {
          await definition.onFailure?.({ payload: execution.payload, error, tx });
          await finish(tx, execution, "failed", { lastError: error.message });
        });
        return;
      }
      const delay = backoffMs(execution.attempt);
      log(`${execution.id} attempt ${execution.attempt} failed, retrying in ${delay} ms: ${error.message}`);
      // A save that failed already failed the handler; its steps simply run again on the next attempt.
      await saving.catch(() => undefined);
      await fence.commit(async (tx) => {
        // The next attempt resumes after every step this one finished.
        if (unsaved.length > 0) await saveSteps(execution, unsaved, tx);
        await tx.$executeRaw`
        UPDATE executions SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, last_error = ${error.message},
               run_at = now() + (${delay}::int * interval '1 millisecond'), updated_at = now()
         WHERE id = ${execution.id}`;
      });
    }
  }

  async function finish(
    tx: Tx,
    execution: Claimed,
    status: "completed" | "failed" | "cancelled",
    fields: { output?: Json; lastError?: string },
  ): Promise<void> {
    await tx.execution.update({
      where: { id: execution.id },
      data: {
        status,
        output: fields.output === undefined || fields.output === null ? Prisma.JsonNull : (fields.output as Prisma.InputJsonValue),
        lastError: fields.lastError ?? null,
        leaseOwner: null,
        leaseExpiresAt: null,
        finishedAt: new Date(),
      },
    });
  }

  function launch(execution: Claimed): void {
    const controller = new AbortController();
    const beat = setInterval(() => {
      heartbeat(execution, controller).catch((error: unknown) => log(`heartbeat ${execution.id}: ${errorText(error)}`));
    }, Math.max(100, Math.floor(leaseMs / 3)));
    const done = execute(execution, controller)
      .catch((error: unknown) => {
        if (!(error instanceof LeaseLostError)) log(`${execution.id} (${execution.function}) crashed the runner: ${errorText(error)}`);
      })
      .finally(() => {
        clearInterval(beat);
        running.delete(execution.id);
        // Its writes have committed (or it was handed on): a waiter in this process need not wait for its next poll.
        announceSettled(execution.key);
        if (!stopped) wake();
      });
    running.set(execution.id, { project: execution.project_id ?? "", controller, done });
    markServed(execution.project_id ?? "");
  }

  async function tick(): Promise<void> {
    if (stopped) return;
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
        const claimed = await claim(free);
        for (const execution of claimed) launch(execution);
        if (claimed.length === free) wakeAgain = true;
      } while (wakeAgain && !stopped);
      if (options.maintenance && Date.now() - lastMaintenance > 60_000) {
        lastMaintenance = Date.now();
        options.maintenance().catch((error: unknown) => log(`maintenance: ${errorText(error)}`));
      }
    } catch (error) {
      log(`claim failed: ${errorText(error)}`);
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

  /** Back to the queue, as if never claimed (attempt 0), unless something else has happened to it meanwhile. */
  async function handBack(execution: HandedOver): Promise<void> {
    const prisma = await db();
    await prisma.$executeRaw`
      UPDATE executions SET status = 'queued', attempt = 0, lease_owner = NULL, lease_expires_at = NULL, started_at = NULL, updated_at = now()
       WHERE id = ${execution.id} AND attempt = 1 AND lease_owner = ${id} AND status = 'running'`;
  }

  return {
    id,
    wake,
    offer: (projectId) =>
      stopped || running.size >= concurrency || runningFor(projectId ?? "") >= projectConcurrency
        ? undefined
        : { owner: id, expiresAt: new Date(Date.now() + leaseMs) },
    adopt(execution) {
      if (stopped || running.size >= concurrency || runningFor(execution.projectId ?? "") >= projectConcurrency) {
        handBack(execution).then(
          () => wake(),
          (error: unknown) => log(`hand back ${execution.id}: ${errorText(error)} (its lease will expire)`),
        );
        return;
      }
      const { id: executionId, key, payload, maxAttempts } = execution;
      launch({ id: executionId, project_id: execution.projectId ?? null, key, function: execution.function, payload, attempt: 1, max_attempts: maxAttempts, cancel_requested: false });
    },
    abortLocal(executionId, reason) {
      const entry = running.get(executionId);
      if (!entry) return false;
      entry.controller.abort(reason);
      return true;
    },
    active: () => running.size,
    async stop({ graceMs = 10_000 } = {}) {
      stopped = true;
      clearInterval(timer);
      const all = Promise.all([...running.values()].map((r) => r.done));
      const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
      if (timedOut) {
        // Hand unfinished work back at once instead of waiting for the lease to expire.
        for (const [executionId, entry] of running) entry.controller.abort(new LeaseLostError(executionId, 0));
        const prisma = await db();
        await prisma.$executeRaw`
          UPDATE executions SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, run_at = now()
           WHERE lease_owner = ${id} AND status = 'running'`;
      }
    },
  };
}
