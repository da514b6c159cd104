// The Overview's usage: what the project holds, what it processed and delivered in the last 30 days, and its latest
// uploads and tasks. Figures come from the same reads as GET /api/analytics.
import Link from "next/link";
import type { ReactNode } from "react";
import { formatBytes, formatDuration } from "@/components/media/format";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ActivityItem, OverviewUsage } from "@/lib/analytics/overview";
import { LazyUsageChart } from "./usage-chart-lazy";

const NUMBER = new Intl.NumberFormat("en");

function Stat({ label, value, hint, testId }: { label: string; value: string; hint: string; testId: string }) {
  return (
    <Card className="min-w-0 p-4">
      <div className="text-[13px] text-zinc-500">{label}</div>
      <div className="mt-1 truncate text-xl font-semibold tracking-tight text-zinc-900" data-testid={testId} title={value}>
        {value}
      </div>
      <div className="mt-0.5 truncate text-xs text-zinc-500" title={hint}>
        {hint}
      </div>
    </Card>
  );
}

function plural(count: number, one: string, many: string): string {
  return `${NUMBER.format(count)} ${count === 1 ? one : many}`;
}

function minutes(value: number): string {
  return value === 0 ? "0 min" : value < 1 ? "< 1 min" : `${NUMBER.format(Math.round(value))} min`;
}

const STATUS_TONE: Record<string, "green" | "red" | "amber" | "neutral"> = {
  ready: "green",
  succeeded: "green",
  failed: "red",
  cancelled: "neutral",
  processing: "amber",
  queued: "amber",
  waiting: "amber",
};

function ActivityRow({ item }: { item: ActivityItem }) {
  const title: ReactNode =
    item.kind === "upload" ? (
      <Link href="/dashboard/media" className="truncate font-medium text-zinc-900 hover:text-indigo-700" title={item.path}>
        {item.path}
      </Link>
    ) : (
      <Link href={`/dashboard/tasks/${item.id}`} className="truncate font-medium text-zinc-900 hover:text-indigo-700">
        {item.taskKind} task
      </Link>
    );
  const detail =
    item.kind === "upload"
      ? `Uploaded ${item.fileKind ?? "file"} · ${formatBytes(item.bytes)}`
      : (item.error ?? (item.seconds !== null ? `Task · ran ${formatDuration(item.seconds)}` : `Task · ${item.id}`));
  return (
    <li className="flex items-center gap-3 px-4 py-3 sm:px-5" data-testid="activity-item">
      <div className="min-w-0 flex-1">
        <div className="flex min-w-0 text-[13px]">{title}</div>
        <div className="truncate text-xs text-zinc-500" title={detail}>
          {detail}
        </div>
      </div>
      <div className="flex shrink-0 flex-col items-end gap-1">
        <Badge tone={STATUS_TONE[item.status] ?? "neutral"}>{item.status}</Badge>
        <RelativeTime iso={item.at} className="text-xs text-zinc-500" />
      </div>
    </li>
  );
}

export function UsageOverview({ usage }: { usage: OverviewUsage }) {
  const delivered = usage.requests > 0;
  return (
    <section aria-labelledby="usage-heading" className="mt-10">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 id="usage-heading" className="text-sm font-semibold text-zinc-900">
          Usage
        </h2>
        <p className="text-xs text-zinc-500">
          Last 30 days · also at <code className="font-mono">GET /api/analytics</code>
        </p>
      </div>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-3 xl:grid-cols-6">
        <Stat label="Media items" value={NUMBER.format(usage.mediaCount)} hint="in the library" testId="usage-media" />
        <Stat label="Files" value={NUMBER.format(usage.fileCount)} hint="originals and outputs" testId="usage-files" />
        <Stat label="Tasks" value={NUMBER.format(usage.taskCount)} hint="all time" testId="usage-tasks" />
        <Stat label="Storage" value={formatBytes(usage.storageBytes)} hint="ready files, now" testId="usage-storage" />
        <Stat label="Processing" value={minutes(usage.processingMinutes)} hint="task time, 30 days" testId="usage-processing" />
        <Stat label="Delivered" value={formatBytes(usage.deliveryBytes)} hint={plural(usage.requests, "request", "requests")} testId="usage-delivered" />
      </div>

      <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-5">
        <Card className="min-w-0 p-4 sm:p-5 lg:col-span-3">
          <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
            <h3 className="text-[13px] font-medium text-zinc-900">Delivery per day</h3>
            <span className="text-xs text-zinc-500">bytes sent from your files&apos; URLs</span>
          </div>
          <div className="mt-3 h-56" data-testid="usage-chart">
            {delivered ? (
              <LazyUsageChart series={usage.series} />
            ) : (
              <div className="flex size-full items-center justify-center rounded-lg border border-dashed border-zinc-200 p-6 text-center">
                <p className="max-w-xs text-[13px] text-zinc-500">
                  Nothing delivered yet. Each request to a file&apos;s URL (<code className="font-mono text-xs">/f/…</code>) shows here, per day, within a
                  few seconds.
                </p>
              </div>
            )}
          </div>
        </Card>

        <Card className="min-w-0 lg:col-span-2">
          <h3 className="border-b border-zinc-100 px-4 py-3 text-[13px] font-medium text-zinc-900 sm:px-5">Recent activity</h3>
          {usage.recent.length ? (
            <ul className="divide-y divide-zinc-100">
              {usage.recent.map((item) => (
                <ActivityRow key={`${item.kind}-${item.id}`} item={item} />
              ))}
            </ul>
          ) : (
            <p className="px-4 py-8 text-center text-[13px] text-zinc-500 sm:px-5">
              No uploads or tasks yet. Add media on the{" "}
              <Link href="/dashboard/media" className="font-medium text-indigo-600 hover:text-indigo-700">
                Media page
              </Link>{" "}
              or with <code className="font-mono text-xs">POST /api/files</code>; they appear here as they arrive.
            </p>
          )}
        </Card>
      </div>
    </section>
  );
}
