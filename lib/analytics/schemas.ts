// GET /api/analytics[/media/{id}|/projects/{id}] query: a window (`from`, `to`, ISO) cut into `interval` buckets.
import { z } from "zod";
import { bucketStarts, DEFAULT_WINDOW_MS, MAX_BUCKETS } from "./buckets";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time as a Date (UTC unless it names an offset), or null for anything else, 2026-02-30 too. */
function parseIsoDate(value: string): Date | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const [, year, month, day, time, zone] = match;
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) return null;
  const ms = Date.parse(time && !zone ? `${value}Z` : value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

const ZIsoDate = z
  .string()
  .trim()
  .refine((value) => parseIsoDate(value) !== null, "must be an ISO 8601 date or date-time, such as 2026-12-01 or 2026-12-01T00:00:00Z")
  .transform((value) => parseIsoDate(value)!);

export const ZAnalyticsInterval = z.enum(["hour", "day", "month"], { error: "must be one of hour, day or month" });
export type TAnalyticsInterval = z.infer<typeof ZAnalyticsInterval>;

export const ZAnalyticsQuery = z
  .strictObject({ from: ZIsoDate.optional(), to: ZIsoDate.optional(), interval: ZAnalyticsInterval.default("day") })
  .transform((query, ctx) => {
    const to = query.to ?? new Date();
    const from = query.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
    if (from.getTime() > to.getTime()) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "must not be after `to`" });
      return z.NEVER;
    }
    if (bucketStarts(from, to, query.interval, MAX_BUCKETS + 1).length > MAX_BUCKETS) {
      ctx.addIssue({ code: "custom", path: ["interval"], message: `this window has more than ${MAX_BUCKETS} ${query.interval} buckets: use a larger interval or a shorter window` });
      return z.NEVER;
    }
    return { from, to, interval: query.interval };
  });
export type TAnalyticsQuery = z.infer<typeof ZAnalyticsQuery>;
