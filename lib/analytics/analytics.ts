// Usage of a project or one media item over a window: storage now (ready files), delivery (delivery_stats, fed by
// the delivery counter), processing (tasks created in the window: their count by kind and seconds from start to finish).
import { notFound } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { canonicalId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";
import { getProjectOrThrow } from "@/lib/projects/projects";
import { bucketStarts, windowEnd } from "./buckets";
import type { TAnalyticsInterval, TAnalyticsQuery } from "./schemas";

export type UsagePoint = { t: Date; deliveryBytes: number; requests: number };

export type Usage = {
  projectId: string;
  mediaId: string | null;
  from: Date;
  to: Date;
  interval: TAnalyticsInterval;
  storageBytes: number;
  deliveryBytes: number;
  requests: number;
  taskSeconds: number;
  tasks: Record<string, number>;
  series: UsagePoint[];
};

type Subject = { projectId: string; mediaId: string | null };

/** The key's own project. */
export async function getProjectUsage(scope: ProjectScope, query: TAnalyticsQuery): Promise<Usage> {
  return measureUsage({ projectId: scope.projectId, mediaId: null }, query);
}

/** Another project of the key's organisation (404 for any other). */
export async function getOrgProjectUsage(scope: ProjectScope, projectId: string, query: TAnalyticsQuery): Promise<Usage> {
  const project = await getProjectOrThrow(scope, projectId);
  return measureUsage({ projectId: project.id, mediaId: null }, query);
}

/** One media item of the project; a deleted item still answers with its history. */
export async function getMediaUsage(scope: ProjectScope, mediaId: string, query: TAnalyticsQuery): Promise<Usage> {
  const prisma = await db();
  const media = await prisma.media.findFirst({ where: { id: canonicalId(mediaId), projectId: scope.projectId }, select: { id: true } });
  if (!media) throw notFound("media_not_found", "media item", mediaId);
  return measureUsage({ projectId: scope.projectId, mediaId: media.id }, query);
}

/** Timestamps go to SQL as UTC text: `timestamp(3)` columns hold UTC without a zone. */
const utc = (date: Date) => Prisma.sql`${date.toISOString()}::timestamp(3)`;

async function measureUsage(subject: Subject, query: TAnalyticsQuery): Promise<Usage> {
  const starts = bucketStarts(query.from, query.to, query.interval);
  const start = starts[0]!;
  const end = windowEnd(starts, query.interval);
  const [storageBytes, delivery, tasks] = await Promise.all([
    storedBytes(subject),
    deliveryByBucket(subject, { start, end, interval: query.interval }),
    tasksByKind(subject, { start, end }),
  ]);
  const byBucket = new Map(delivery.map((row) => [row.t, row]));
  const series = starts.map((t) => {
    const row = byBucket.get(t.getTime());
    return { t, deliveryBytes: row?.bytes ?? 0, requests: row?.requests ?? 0 };
  });
  return {
    ...subject,
    from: start,
    to: end,
    interval: query.interval,
    storageBytes,
    deliveryBytes: series.reduce((sum, point) => sum + point.deliveryBytes, 0),
    requests: series.reduce((sum, point) => sum + point.requests, 0),
    taskSeconds: Math.round(tasks.reduce((sum, row) => sum + row.seconds, 0) * 1000) / 1000,
    tasks: Object.fromEntries(tasks.map((row) => [row.kind, row.count])),
    series,
  };
}

async function storedBytes(subject: Subject): Promise<number> {
  const prisma = await db();
  const result = await prisma.file.aggregate({
    _sum: { filesize: true },
    where: { projectId: subject.projectId, status: "ready", ...(subject.mediaId ? { mediaId: subject.mediaId } : {}) },
  });
  return Number(result._sum.filesize ?? 0);
}

async function deliveryByBucket(subject: Subject, window: { start: Date; end: Date; interval: TAnalyticsInterval }): Promise<{ t: number; requests: number; bytes: number }[]> {
  const prisma = await db();
  const media = subject.mediaId === null ? Prisma.empty : Prisma.sql`AND media_id = ${subject.mediaId}`;
  const rows = await prisma.$queryRaw<{ t: number; requests: bigint; bytes: bigint }[]>`
    SELECT EXTRACT(EPOCH FROM date_trunc(${window.interval}, hour))::float8 AS t, SUM(requests)::bigint AS requests, SUM(bytes)::bigint AS bytes
    FROM delivery_stats
    WHERE project_id = ${subject.projectId} ${media} AND hour >= ${utc(window.start)} AND hour < ${utc(window.end)}
    GROUP BY 1`;
  return rows.map((row) => ({ t: Number(row.t) * 1000, requests: Number(row.requests), bytes: Number(row.bytes) }));
}

async function tasksByKind(subject: Subject, window: { start: Date; end: Date }): Promise<{ kind: string; count: number; seconds: number }[]> {
  const prisma = await db();
  const media = subject.mediaId === null ? Prisma.empty : Prisma.sql`AND media_id = ${subject.mediaId}`;
  const rows = await prisma.$queryRaw<{ kind: string; count: bigint; seconds: number | null }[]>`
    SELECT kind, COUNT(*)::bigint AS count, SUM(EXTRACT(EPOCH FROM (finished_at - started_at)))::float8 AS seconds
    FROM tasks
    WHERE project_id = ${subject.projectId} ${media} AND created_at >= ${utc(window.start)} AND created_at < ${utc(window.end)}
    GROUP BY kind
    ORDER BY kind`;
  return rows.map((row) => ({ kind: row.kind, count: Number(row.count), seconds: Number(row.seconds ?? 0) }));
}
