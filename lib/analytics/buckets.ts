// UTC time buckets of an analytics window.
import type { TAnalyticsInterval } from "./schemas";

/** At most this many points in a series: 1,000 hours is about six weeks. */
export const MAX_BUCKETS = 1_000;
/** The window when a request names no `from`. */
export const DEFAULT_WINDOW_MS = 30 * 24 * 3_600_000;

/** The start of the bucket holding `date`. */
export function bucketStart(date: Date, interval: TAnalyticsInterval): Date {
  const d = new Date(date.getTime());
  if (interval === "month") return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  if (interval === "day") return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()));
}

function nextBucket(start: Date, interval: TAnalyticsInterval): Date {
  if (interval === "month") return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  if (interval === "day") return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + 1));
  return new Date(start.getTime() + 3_600_000);
}

/** Starts of the whole buckets that cover [from, to) (at least one), stopping after `limit`. */
export function bucketStarts(from: Date, to: Date, interval: TAnalyticsInterval, limit = MAX_BUCKETS): Date[] {
  const starts: Date[] = [];
  for (let t = bucketStart(from, interval); starts.length === 0 || t.getTime() < to.getTime(); t = nextBucket(t, interval)) {
    starts.push(t);
    if (starts.length >= limit) break;
  }
  return starts;
}

/** The end (exclusive) of the last bucket. */
export function windowEnd(starts: Date[], interval: TAnalyticsInterval): Date {
  return nextBucket(starts[starts.length - 1]!, interval);
}
