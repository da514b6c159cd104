// The embedded engine's queue: every statement that reads or changes an execution's state. A lease is the pair
// (attempt, owner); `held` is the one predicate that proves a worker still has it, so no write lands after a lease
// was lost.
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { CLAIM_SPARES } from "@/lib/engine/settings";
import type { Json, Tx } from "@/lib/engine/types";
import { LeaseLostError } from "@/lib/engine/errors";

/** A claimed execution, as the claim returns it. */
export type Claimed = {
  id: string;
  project_id: string | null;
  key: string;
  function: string;
  payload: Record<string, Json>;
  attempt: number;
  max_attempts: number;
  cancel_requested: boolean;
  /** An earlier claim of it ended in a retry or an outage, so steps may be stored even at attempt 1. */
  resumed: boolean;
};

/** Which attempt of which execution a worker leases. */
export type Lease = { id: string; attempt: number; owner: string };

export type SavedStep = { stepId: string; output: Json };

/** Per project ("" for work without one): [executions running on this worker, when it last served the project]. */
export type ProjectState = Record<string, [number, number]>;

/** The row is this attempt's and this worker's, whether or not its lease has run out. */
function owns(lease: Lease): Prisma.Sql {
  return Prisma.sql`id = ${lease.id} AND attempt = ${lease.attempt} AND lease_owner = ${lease.owner} AND status = 'running'`;
}

/** The lease is still held: owned and not expired. Every fenced write goes through this. */
function held(lease: Lease): Prisma.Sql {
  return Prisma.sql`${owns(lease)} AND lease_expires_at > now()`;
}

function leaseEnd(leaseMs: number): Prisma.Sql {
  return Prisma.sql`now() + (${leaseMs}::int * interval '1 millisecond')`;
}

/**
 * Claims up to `limit` due executions for `owner`, fairly: each project's due work is numbered from what this worker
 * already runs for it (its 1st waiting execution is its running count + 1, …), and the lowest numbers go first; among
 * equals, the project this worker served longest ago, then the oldest. Projects thus take turns instead of the oldest
 * queue winning. While more than one project has work waiting, a project's number may not pass its share
 * (`projectConcurrency`); a project alone may fill every slot. Rows another worker is claiming are skipped, and the
 * next in the same order taken.
 */
export async function claimExecutions(args: {
  owner: string;
  limit: number;
  leaseMs: number;
  projectConcurrency: number;
  projects: ProjectState;
  /** Executions this worker is running: never claimed again by it, even with an expired lease. */
  running: readonly string[];
}): Promise<Claimed[]> {
  const { owner, limit, leaseMs, projectConcurrency, projects, running } = args;
  const prisma = await db();
  return prisma.$queryRaw<Claimed[]>`
      WITH due AS (
        SELECT id, run_at, created_at, COALESCE(project_id, '') AS project
          FROM executions
         WHERE (status = 'queued' AND run_at <= now())
            -- Not what this worker still runs (its heartbeat may be late after an outage).
            OR (status = 'running' AND lease_expires_at < now()
                AND NOT (lease_owner = ${owner} AND id IN (SELECT jsonb_array_elements_text(${JSON.stringify(running)}::jsonb))))),
      -- Whether more than one project has work due; stops at the first row of a second project.
      mixed AS (SELECT EXISTS (SELECT 1 FROM due WHERE project <> (SELECT project FROM due LIMIT 1)) AS yes),
      here AS (SELECT key AS project, (value->>0)::int AS n, (value->>1)::bigint AS served
                 FROM jsonb_each(${JSON.stringify(projects)}::jsonb)),
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
         -- A row leased to this worker that it does not run is one whose claim's answer an outage lost: it never
         -- started, so the attempt is not counted again.
         SET status = 'running', attempt = e.attempt + CASE WHEN e.lease_owner = ${owner} THEN 0 ELSE 1 END, lease_owner = ${owner},
             lease_expires_at = ${leaseEnd(leaseMs)},
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
   RETURNING e.id, e.project_id, e.key, e.function, e.payload, e.attempt, e.max_attempts, e.cancel_requested,
             e.last_error IS NOT NULL AS resumed`;
}

/** Locks the execution row and proves the lease is still held; throws LeaseLostError otherwise. */
export async function assertHeld(tx: Tx, lease: Lease): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM executions WHERE ${held(lease)} FOR UPDATE`;
  if (rows.length === 0) throw new LeaseLostError(lease.id, lease.attempt);
}

/**
 * Step results, written in one statement that also proves the lease is still held. Within a transaction (`tx`) they
 * commit with the caller's other writes.
 */
export async function saveSteps(lease: Lease, steps: readonly SavedStep[], tx?: Tx): Promise<void> {
  const client = tx ?? (await db());
  const rows = await client.$queryRaw<{ step_id: string }[]>`
      WITH held AS (SELECT id FROM executions WHERE ${held(lease)} FOR UPDATE)
      INSERT INTO execution_steps (execution_id, step_id, output, created_at)
      SELECT held.id, s.step_id, s.output, now()
        FROM held, jsonb_to_recordset(${JSON.stringify(steps.map((s) => ({ step_id: s.stepId, output: s.output })))}::jsonb)
             AS s(step_id text, output jsonb)
      RETURNING step_id`;
  if (rows.length !== steps.length) throw new LeaseLostError(lease.id, lease.attempt);
}

/** The steps an earlier attempt stored. */
export async function loadSteps(executionId: string): Promise<Map<string, Json>> {
  const prisma = await db();
  const rows = await prisma.executionStep.findMany({ where: { executionId } });
  return new Map(rows.map((row) => [row.stepId, row.output as Json]));
}

/** Success, as one conditional update: nothing changes unless the lease is still held. */
export async function completeExecution(lease: Lease, output: Json): Promise<void> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ id: string }[]>`
      UPDATE executions SET status = 'completed', output = ${JSON.stringify(output)}::jsonb, last_error = NULL,
             lease_owner = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now()
       WHERE ${held(lease)}
   RETURNING id`;
  if (rows.length === 0) throw new LeaseLostError(lease.id, lease.attempt);
}

/** Ends an execution inside a fenced transaction (which already proved the lease). */
export async function finishExecution(
  tx: Tx,
  executionId: string,
  status: "completed" | "failed" | "cancelled",
  fields: { output?: Json; lastError?: string },
): Promise<void> {
  await tx.execution.update({
    where: { id: executionId },
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

/** Back to the queue for another attempt after `delayMs`, inside a fenced transaction. */
export async function retryExecution(tx: Tx, executionId: string, lastError: string, delayMs: number): Promise<void> {
  await tx.$executeRaw`
      UPDATE executions SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, last_error = ${lastError},
             run_at = now() + (${delayMs}::int * interval '1 millisecond'), updated_at = now()
       WHERE id = ${executionId}`;
}

/**
 * Extends the lease while the row is still this attempt's, even if it ran out meanwhile (nobody else claimed it).
 * Returns undefined when the lease is lost, else whether a cancel was asked for.
 */
export async function renewLease(lease: Lease, leaseMs: number): Promise<{ cancelRequested: boolean } | undefined> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ cancel_requested: boolean }[]>`
      UPDATE executions SET lease_expires_at = ${leaseEnd(leaseMs)}
       WHERE ${owns(lease)}
   RETURNING cancel_requested`;
  const row = rows[0];
  return row ? { cancelRequested: row.cancel_requested } : undefined;
}

/**
 * Back to the queue after the database went away under an attempt, as if this claim never happened (attempt - 1): an
 * outage is no fault of the work. Only while nobody else claimed it since; its runner has ended, so the same lease
 * cannot be reused by anything still running. `counted`: the attempt stays used up, and the next waits `delayMs`.
 */
export async function releaseAfterOutage(lease: Lease, reason: string, { counted = false, delayMs = 0 } = {}): Promise<void> {
  const prisma = await db();
  await prisma.$executeRaw`
      UPDATE executions SET status = 'queued', attempt = attempt - ${counted ? 0 : 1}, lease_owner = NULL, lease_expires_at = NULL,
             last_error = ${reason}, run_at = now() + (${delayMs}::int * interval '1 millisecond'), updated_at = now()
       WHERE ${owns(lease)}`;
}

/** A handed-over execution back to the queue, as if never claimed (attempt 0), unless something else happened to it. */
export async function handBack(executionId: string, owner: string): Promise<void> {
  const prisma = await db();
  await prisma.$executeRaw`
      UPDATE executions SET status = 'queued', attempt = 0, lease_owner = NULL, lease_expires_at = NULL, started_at = NULL, updated_at = now()
       WHERE ${owns({ id: executionId, attempt: 1, owner })}`;
}

/** Everything still running under `owner` back to the queue at once, instead of waiting for its leases to expire. */
export async function releaseAll(owner: string): Promise<void> {
  const prisma = await db();
  await prisma.$executeRaw`
      UPDATE executions SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, run_at = now()
       WHERE lease_owner = ${owner} AND status = 'running'`;
}
