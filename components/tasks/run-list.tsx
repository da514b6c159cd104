"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { ActivityList, ROW_CLASS } from "@/components/tasks/activity-list";
import { kindLabel } from "@/components/tasks/describe";
import { ActivityFilters, NO_FILTERS } from "@/components/tasks/filters";
import { ProgressBar, StatusBadge } from "@/components/tasks/status";
import { useActivityPages } from "@/components/tasks/use-activity";
import { RelativeTime } from "@/components/ui/relative-time";
import { listJobsAction, listRunsAction } from "@/lib/dashboard/actions/tasks";
import type { ActivityPage, JobView, RunView } from "@/lib/dashboard/queries";

function Row({ href, id, title, subtitle, createdAt, status, progress, error }: { href: string; id: string; title: string; subtitle: string; createdAt: string; status: RunView["status"]; progress: number | null; error: string | null }) {
  return (
    <li data-testid="activity-row" data-id={id} data-status={status}>
      <Link href={href} className={`${ROW_CLASS} transition-colors hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-500`}>
        <div className="flex items-start gap-3 sm:items-center">
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-baseline gap-x-2 text-[13px]">
              <span className="font-medium text-zinc-900">{title}</span>
              <span className="min-w-0 truncate text-zinc-600">{subtitle}</span>
            </div>
            <div className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-zinc-500">
              <span className="font-mono">{id}</span>
              <RelativeTime iso={createdAt} />
            </div>
            {error ? <p className="mt-1 line-clamp-2 text-xs text-red-700">{error}</p> : null}
          </div>
          <StatusBadge status={status} />
        </div>
        <ProgressBar status={status} progress={progress} className="mt-2" />
      </Link>
    </li>
  );
}

const steps = (tasks: { kind: string }[]) => tasks.map((t) => kindLabel(t.kind)).join(" → ") || "No tasks";

export function RunList({ projectId, initial, empty }: { projectId: string; initial: ActivityPage<RunView>; empty: ReactNode }) {
  const [filters, setFilters] = useState(NO_FILTERS);
  const list = useActivityPages({ name: "runs", projectId, filters, action: listRunsAction, initial });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const isFiltered = filters !== NO_FILTERS;
  return (
    <>
      {items.length > 0 || isFiltered ? <ActivityFilters values={filters} onChange={setFilters} /> : null}
      <ActivityList
        label="Runs"
        isLoading={list.isPending}
        error={list.error}
        isEmpty={items.length === 0}
        empty={isFiltered ? <p className="py-8 text-center text-sm text-zinc-500">No runs match these filters.</p> : empty}
        hasMore={list.hasNextPage}
        isLoadingMore={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      >
        {items.map((run) => (
          <Row key={run.id} href={`/dashboard/runs/${run.id}`} id={run.id} title={`${run.tasks.length} task${run.tasks.length === 1 ? "" : "s"}`} subtitle={steps(run.tasks)} createdAt={run.createdAt} status={run.status} progress={run.progress} error={run.error} />
        ))}
      </ActivityList>
    </>
  );
}

function jobProgress(job: JobView): number {
  const done = job.tasks.reduce((sum, t) => sum + (t.status === "processing" || t.status === "queued" || t.status === "waiting" ? (t.progress ?? 0) : 100), 0);
  return job.tasks.length ? Math.round(done / job.tasks.length) : 0;
}

export function JobList({ projectId, kinds, initial, empty }: { projectId: string; kinds: string[]; initial: ActivityPage<JobView>; empty: ReactNode }) {
  const [filters, setFilters] = useState(NO_FILTERS);
  const list = useActivityPages({ name: "jobs", projectId, filters, action: listJobsAction, initial });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const isFiltered = filters !== NO_FILTERS;
  return (
    <>
      {items.length > 0 || isFiltered ? <ActivityFilters values={filters} onChange={setFilters} kinds={kinds} /> : null}
      <ActivityList
        label="Jobs"
        isLoading={list.isPending}
        error={list.error}
        isEmpty={items.length === 0}
        empty={isFiltered ? <p className="py-8 text-center text-sm text-zinc-500">No jobs match these filters.</p> : empty}
        hasMore={list.hasNextPage}
        isLoadingMore={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      >
        {items.map((job) => (
          <Row key={job.id} href={`/dashboard/jobs/${job.id}`} id={job.id} title={kindLabel(job.kind)} subtitle={job.input} createdAt={job.createdAt} status={job.status} progress={jobProgress(job)} error={job.error} />
        ))}
      </ActivityList>
    </>
  );
}
