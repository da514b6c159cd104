"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { ActivityList, ROW_CLASS } from "@/components/tasks/activity-list";
import { describeInput, kindLabel } from "@/components/tasks/describe";
import { ActivityFilters, NO_FILTERS } from "@/components/tasks/filters";
import { ProgressBar, StatusBadge, elapsed } from "@/components/tasks/status";
import { useActivityPages } from "@/components/tasks/use-activity";
import { RelativeTime } from "@/components/ui/relative-time";
import { listTasksAction } from "@/lib/dashboard/actions/tasks";
import type { ActivityPage, TaskView } from "@/lib/dashboard/queries";

/** A task as one linked line: kind, what it works on, id, when, status and progress; rows and run trees both use it. */
export function TaskLink({ task, subject, className, showCreated = false }: { task: TaskView; subject: string; className: string; showCreated?: boolean }) {
  const took = elapsed(task.startedAt, task.finishedAt);
  const tookText = took ? `${task.finishedAt ? "took" : "running for"} ${took}` : null;
  return (
    <Link href={`/dashboard/tasks/${task.id}`} className={`${className} transition-colors hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-500`}>
      <div className="flex items-start gap-3 sm:items-center">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-baseline gap-x-2 text-[13px]">
            <span className="font-medium text-zinc-900">{kindLabel(task.kind)}</span>
            <span className="min-w-0 truncate text-zinc-600" title={subject}>
              {subject}
            </span>
          </div>
          <div className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-zinc-500">
            <span className="font-mono">{task.id}</span>
            {showCreated ? (
              <span>
                <RelativeTime iso={task.createdAt} />
                {tookText ? ` · ${tookText}` : null}
              </span>
            ) : tookText ? (
              <span>{tookText}</span>
            ) : null}
          </div>
          {task.error ? <p className="mt-1 line-clamp-2 text-xs text-red-700">{task.error.message}</p> : null}
        </div>
        <StatusBadge status={task.status} />
      </div>
      <ProgressBar status={task.status} progress={task.progress} className="mt-2" />
    </Link>
  );
}

export function TaskRow({ task }: { task: TaskView }) {
  return (
    <li data-testid="task-row" data-task-id={task.id} data-status={task.status}>
      <TaskLink task={task} subject={describeInput(task.input)} className={ROW_CLASS} showCreated />
    </li>
  );
}

export function TaskList({ projectId, kinds, initial, empty }: { projectId: string; kinds: string[]; initial: ActivityPage<TaskView>; empty: ReactNode }) {
  const [filters, setFilters] = useState(NO_FILTERS);
  const list = useActivityPages({ name: "tasks", projectId, filters, action: listTasksAction, initial });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const isFiltered = filters !== NO_FILTERS;
  return (
    <>
      {items.length > 0 || isFiltered ? <ActivityFilters values={filters} onChange={setFilters} kinds={kinds} /> : null}
      <ActivityList
        label="Tasks"
        isLoading={list.isPending}
        error={list.error}
        isEmpty={items.length === 0}
        empty={isFiltered ? <p className="py-8 text-center text-sm text-zinc-500">No tasks match these filters.</p> : empty}
        hasMore={list.hasNextPage}
        isLoadingMore={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      >
        {items.map((task) => (
          <TaskRow key={task.id} task={task} />
        ))}
      </ActivityList>
    </>
  );
}
