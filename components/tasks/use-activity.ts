"use client";

import { useInfiniteQuery, type InfiniteData } from "@tanstack/react-query";
import { useMemo } from "react";
import { LIVE_POLL_MS, isActive, type Status } from "@/components/tasks/status";
import { toQuery, type ActivityFilterValues } from "@/components/tasks/filters";
import type { ActionResult } from "@/lib/dashboard/action-result";
import type { ActivityPage } from "@/lib/dashboard/queries";

type ListInput = ReturnType<typeof toQuery> & { projectId: string; after?: string };
type ListAction<T> = (input: ListInput) => Promise<ActionResult<{ page: ActivityPage<T> }>>;

// With nothing unfinished the list still looks for new work now and then (a task made from the API), but slowly.
const IDLE_POLL_MS = 5000;

/** Cursor pages of one list (newest first), refetched every second while anything loaded is unfinished. */
export function useActivityPages<T extends { status: Status; tasks?: { status: Status }[] }>(options: {
  name: string;
  projectId: string;
  filters: ActivityFilterValues;
  action: ListAction<T>;
  initial?: ActivityPage<T>;
}) {
  const { name, projectId, filters, action, initial } = options;
  // The date bound is fixed when the filter is picked, so the query key does not move with the clock.
  const query = useMemo(() => toQuery(filters), [filters]);
  const isUnfiltered = !filters.status && !filters.kind && !filters.since;
  return useInfiniteQuery({
    queryKey: ["activity", name, projectId, query],
    queryFn: async ({ pageParam }) => {
      const result = await action({ projectId, ...query, ...(pageParam ? { after: pageParam } : {}) });
      if (!result.ok) throw new Error(result.error);
      return result.page;
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    initialData: isUnfiltered && initial ? { pages: [initial], pageParams: [undefined] } : undefined,
    refetchInterval: (q) => (hasActive(q.state.data) ? LIVE_POLL_MS : IDLE_POLL_MS),
  });
}

function hasActive<T extends { status: Status; tasks?: { status: Status }[] }>(data: InfiniteData<ActivityPage<T>> | undefined): boolean {
  return Boolean(data?.pages.some((page) => page.items.some((item) => isActive(item.status) || item.tasks?.some((task) => isActive(task.status)))));
}
