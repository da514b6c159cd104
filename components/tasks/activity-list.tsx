"use client";

import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/icons";

/** The frame of the three lists: rows (cards on a phone), a load-more button for the next cursor page, and the states between. */
export function ActivityList({
  label,
  isLoading,
  error,
  children,
  isEmpty,
  empty,
  hasMore,
  isLoadingMore,
  onLoadMore,
}: {
  label: string;
  isLoading: boolean;
  error: Error | null;
  children: ReactNode;
  isEmpty: boolean;
  empty: ReactNode;
  hasMore: boolean;
  isLoadingMore: boolean;
  onLoadMore: () => void;
}) {
  if (isLoading) {
    return (
      <div className="flex items-center gap-2 py-10 text-sm text-zinc-500">
        <Spinner className="size-4" /> Loading…
      </div>
    );
  }
  if (error && isEmpty) return <p className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-700">Could not load the list: {error.message}</p>;
  if (isEmpty) return <>{empty}</>;
  return (
    <>
      <ul aria-label={label} className="space-y-2 sm:space-y-0 sm:divide-y sm:divide-zinc-100 sm:overflow-hidden sm:rounded-xl sm:border sm:border-zinc-200 sm:bg-white sm:shadow-xs">
        {children}
      </ul>
      {hasMore ? (
        <div className="mt-4 flex justify-center">
          <Button onClick={onLoadMore} isLoading={isLoadingMore}>
            Load more
          </Button>
        </div>
      ) : null}
    </>
  );
}

/** One row on a laptop, one card on a phone. */
export const ROW_CLASS = "block rounded-xl border border-zinc-200 bg-white px-4 py-3 shadow-xs sm:rounded-none sm:border-0 sm:shadow-none";
