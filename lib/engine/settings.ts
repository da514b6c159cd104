// The embedded engine's fixed settings, named in one place (the tunable ones come from lib/env.ts).
import os from "node:os";
import { env } from "@/lib/env";

/** Candidates a claim considers beyond the slots it fills, for rows another worker is claiming at the same moment. */
export const CLAIM_SPARES = 16;

/**
 * Projects whose last turn a worker remembers, sent with every claim. The least recently served is forgotten first, and a
 * forgotten project counts as never served, which keeps it where it was in the order: first.
 */
export const SERVED_MEMORY = 100;

/** Heartbeats per lease period, so two can be late before the lease runs out; never more often than the floor. */
export const HEARTBEATS_PER_LEASE = 3;
export const MIN_HEARTBEAT_MS = 100;

/** A retry waits at most this long, whatever the attempt. */
export const RETRY_BACKOFF_CAP_MS = 5 * 60_000;
/** Spread of a retry's wait around its nominal value (±20 %), so failed executions do not all return together. */
export const RETRY_JITTER = 0.2;

/** While the database is unreachable, claims and hand-backs retry at most this far apart. */
export const OUTAGE_BACKOFF_MAX_MS = 2_000;

/**
 * Uncounted hand-backs ("the database broke this attempt") one worker gives an execution; past them such a failure
 * counts as an ordinary one, so an error that only looks like an outage (a source's "connection timeout") cannot loop.
 */
export const OUTAGE_HANDBACKS_MAX = 5;
/** Executions whose hand-backs a worker remembers; the least recently handed back is forgotten first. */
export const OUTAGE_HANDBACK_MEMORY = 1_000;

/** How often the worker runs its housekeeping (sweeps, expiries). */
export const MAINTENANCE_EVERY_MS = 60_000;

/** How long `stop` lets running executions finish before handing them back. */
export const STOP_GRACE_MS = 10_000;

/** Head starts a worker keeps outstanding at once (see `Worker.offer`): each runs beside the worker's slots. */
export const HEAD_START_LIMIT = 1;
/** How long a head start may wait for its execution before it is thrown away. */
export const HEAD_START_UNCLAIMED_MS = 30_000;

/** Exponential backoff from MEDIABIT_RETRY_BASE_MS, capped, with jitter. */
export function backoffMs(attempt: number): number {
  const base = env().MEDIABIT_RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(base, RETRY_BACKOFF_CAP_MS);
  return Math.round(capped * (1 - RETRY_JITTER + Math.random() * 2 * RETRY_JITTER));
}

/** Slots one project may hold while another project's work waits: MEDIABIT_PROJECT_CONCURRENCY, else half, at least one. */
export function projectShare(concurrency = env().MEDIABIT_WORKER_CONCURRENCY ?? os.availableParallelism()): number {
  return env().MEDIABIT_PROJECT_CONCURRENCY ?? Math.max(1, Math.floor(concurrency / 2));
}
