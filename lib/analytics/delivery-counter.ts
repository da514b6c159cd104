// Delivery counts (requests, bytes sent) per project, media item and hour, kept in memory and written every few
// seconds with one upsert, so serving a file never waits on the database to count it. A crash loses at most the
// counts of one flush interval.
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";

/** How often counts are written to `delivery_stats`; also the most a crash can lose. */
export const DELIVERY_STATS_FLUSH_INTERVAL_MS = 5_000;

const HOUR_MS = 3_600_000;
// Five parameters a row; PostgreSQL takes at most 65,535 in one statement.
const MAX_ROWS_PER_STATEMENT = 10_000;

export type DeliveryTarget = { projectId: string; mediaId: string };
export type DeliveryStatRow = DeliveryTarget & { hour: Date; requests: number; bytes: number };
export type WriteDeliveryStats = (rows: DeliveryStatRow[]) => Promise<void>;

export type DeliveryCounter = {
  countRequest: (target: DeliveryTarget) => void;
  countBytes: (target: DeliveryTarget, bytes: number) => void;
  /** Writes what was counted since the last flush; on failure the counts stay for the next one. Resolves to rows written. */
  flush: () => Promise<number>;
  /** Rows waiting to be written. */
  pending: () => DeliveryStatRow[];
  stop: () => Promise<void>;
};

type CounterOptions = { write: WriteDeliveryStats; intervalMs?: number; now?: () => number };

export function createDeliveryCounter(options: CounterOptions): DeliveryCounter {
  const intervalMs = options.intervalMs ?? DELIVERY_STATS_FLUSH_INTERVAL_MS;
  const now = options.now ?? Date.now;
  let counts = new Map<string, DeliveryStatRow>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<number> | null = null;

  function ensureTimer(): void {
    if (timer) return;
    timer = setInterval(() => void flush(), intervalMs);
    // Counting must never keep a process alive.
    timer.unref();
  }

  function add(target: DeliveryTarget, requests: number, bytes: number): void {
    const at = now();
    const hour = at - (at % HOUR_MS);
    const key = `${target.projectId}\u0000${target.mediaId}\u0000${hour}`;
    const row = counts.get(key);
    if (row) {
      row.requests += requests;
      row.bytes += bytes;
    } else {
      counts.set(key, { projectId: target.projectId, mediaId: target.mediaId, hour: new Date(hour), requests, bytes });
    }
    ensureTimer();
  }

  function keep(rows: DeliveryStatRow[]): void {
    for (const row of rows) {
      const key = `${row.projectId}\u0000${row.mediaId}\u0000${row.hour.getTime()}`;
      const current = counts.get(key);
      if (current) {
        current.requests += row.requests;
        current.bytes += row.bytes;
      } else counts.set(key, row);
    }
  }

  async function writeAll(): Promise<number> {
    if (counts.size === 0) return 0;
    const rows = [...counts.values()];
    counts = new Map();
    try {
      await options.write(rows);
      return rows.length;
    } catch (error) {
      keep(rows);
      console.error(`[analytics] delivery counts not written, kept for the next flush: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  /** One flush at a time: a caller during a flush waits for it, then writes what arrived meanwhile. */
  async function flush(): Promise<number> {
    while (flushing) await flushing.catch(() => undefined);
    const current = writeAll();
    flushing = current;
    try {
      return await current;
    } catch {
      return 0;
    } finally {
      if (flushing === current) flushing = null;
    }
  }

  return {
    countRequest: (target) => add(target, 1, 0),
    countBytes: (target, bytes) => add(target, 0, bytes),
    flush,
    pending: () => [...counts.values()].map((row) => ({ ...row })),
    stop: async () => {
      if (timer) clearInterval(timer);
      timer = null;
      await flush();
    },
  };
}

/**
 * One statement adds the rows to `delivery_stats`. Rows of a project deleted since they were counted are dropped
 * by the EXISTS (the foreign key would otherwise fail the whole flush, every time).
 */
export async function writeDeliveryStats(rows: DeliveryStatRow[]): Promise<void> {
  const prisma = await db();
  for (let start = 0; start < rows.length; start += MAX_ROWS_PER_STATEMENT) {
    const values = rows
      .slice(start, start + MAX_ROWS_PER_STATEMENT)
      .map((row) => Prisma.sql`(${row.projectId}, ${row.mediaId}, ${row.hour.toISOString()}::timestamp(3), ${row.requests}::bigint, ${row.bytes}::bigint)`);
    await prisma.$executeRaw`
      INSERT INTO delivery_stats (project_id, media_id, hour, requests, bytes)
      SELECT v.project_id, v.media_id, v.hour, v.requests, v.bytes
      FROM (VALUES ${Prisma.join(values)}) AS v(project_id, media_id, hour, requests, bytes)
      WHERE EXISTS (SELECT 1 FROM projects p WHERE p.id = v.project_id)
      ON CONFLICT (project_id, media_id, hour)
      DO UPDATE SET requests = delivery_stats.requests + EXCLUDED.requests, bytes = delivery_stats.bytes + EXCLUDED.bytes`;
  }
}

// On globalThis: Next.js may load this module once per bundle, and the shutdown flush (instrumentation) must
// reach the counter the route handlers fill.
const registry = globalThis as unknown as { __mediabitDeliveryCounter?: DeliveryCounter };

/** The process's counter, writing to the database. */
export function deliveryCounter(): DeliveryCounter {
  registry.__mediabitDeliveryCounter ??= createDeliveryCounter({ write: writeDeliveryStats });
  return registry.__mediabitDeliveryCounter;
}

/** Writes the process's pending delivery counts now (shutdown, tests). */
export async function flushDeliveryStats(): Promise<number> {
  return registry.__mediabitDeliveryCounter?.flush() ?? 0;
}
