// The dashboard Overview's usage: counts, storage, processing and delivery over the last 30 days (the same figures
// GET /api/analytics answers), and the latest uploads and tasks.
import { db } from "@/lib/db/client";
import type { ProjectScope } from "@/lib/keys/keys";
import { getProjectUsage } from "./analytics";
import { DEFAULT_WINDOW_MS } from "./buckets";

const RECENT_ITEMS = 8;

export type ActivityItem =
  | { kind: "upload"; id: string; path: string; fileKind: string | null; bytes: number; status: string; at: string }
  | { kind: "task"; id: string; taskKind: string; status: string; error: string | null; seconds: number | null; at: string };

export type OverviewUsage = {
  mediaCount: number;
  fileCount: number;
  taskCount: number;
  storageBytes: number;
  processingMinutes: number;
  deliveryBytes: number;
  requests: number;
  /** One point per UTC day, oldest first; `t` is the day's date (YYYY-MM-DD). */
  series: { t: string; deliveryBytes: number; requests: number }[];
  recent: ActivityItem[];
};

export async function getOverviewUsage(scope: ProjectScope): Promise<OverviewUsage> {
  const prisma = await db();
  const to = new Date();
  const from = new Date(to.getTime() - DEFAULT_WINDOW_MS + 24 * 3_600_000);
  const [usage, mediaCount, fileCount, taskCount, uploads, tasks] = await Promise.all([
    getProjectUsage(scope, { from, to, interval: "day" }),
    prisma.media.count({ where: { projectId: scope.projectId, deletedAt: null } }),
    prisma.file.count({ where: { projectId: scope.projectId, status: "ready" } }),
    prisma.task.count({ where: { projectId: scope.projectId } }),
    prisma.file.findMany({
      where: { projectId: scope.projectId, original: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: RECENT_ITEMS,
      select: { id: true, path: true, kind: true, filesize: true, status: true, createdAt: true },
    }),
    prisma.task.findMany({
      where: { projectId: scope.projectId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: RECENT_ITEMS,
      select: { id: true, kind: true, status: true, error: true, createdAt: true, startedAt: true, finishedAt: true },
    }),
  ]);
  const recent: ActivityItem[] = [
    ...uploads.map((file): ActivityItem => ({
      kind: "upload",
      id: file.id,
      path: file.path,
      fileKind: file.kind,
      bytes: Number(file.filesize),
      status: file.status,
      at: file.createdAt.toISOString(),
    })),
    ...tasks.map((task): ActivityItem => ({
      kind: "task",
      id: task.id,
      taskKind: task.kind,
      status: task.status,
      error: task.error,
      seconds: task.startedAt && task.finishedAt ? (task.finishedAt.getTime() - task.startedAt.getTime()) / 1000 : null,
      at: task.createdAt.toISOString(),
    })),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, RECENT_ITEMS);
  return {
    mediaCount,
    fileCount,
    taskCount,
    storageBytes: usage.storageBytes,
    processingMinutes: Math.round((usage.taskSeconds / 60) * 10) / 10,
    deliveryBytes: usage.deliveryBytes,
    requests: usage.requests,
    series: usage.series.map((point) => ({ t: point.t.toISOString().slice(0, 10), deliveryBytes: point.deliveryBytes, requests: point.requests })),
    recent,
  };
}
