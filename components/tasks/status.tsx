"use client";

import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Spinner } from "@/components/ui/icons";

export type Status = "waiting" | "queued" | "processing" | "succeeded" | "failed" | "cancelled";

const STATUS: Record<Status, { tone: "neutral" | "amber" | "green" | "red" | "accent"; label: string }> = {
  waiting: { tone: "neutral", label: "Waiting" },
  queued: { tone: "neutral", label: "Queued" },
  processing: { tone: "amber", label: "Processing" },
  succeeded: { tone: "green", label: "Succeeded" },
  failed: { tone: "red", label: "Failed" },
  cancelled: { tone: "neutral", label: "Cancelled" },
};

/** Polling interval while something is unfinished: the issue asks for at most a second. */
export const LIVE_POLL_MS = 1000;

export function isActive(status: Status): boolean {
  return status === "waiting" || status === "queued" || status === "processing";
}

export function StatusBadge({ status }: { status: Status }) {
  const { tone, label } = STATUS[status];
  return (
    <Badge tone={tone} className="shrink-0">
      {status === "processing" ? <Spinner className="size-3" /> : null}
      <span data-testid="task-status">{label}</span>
    </Badge>
  );
}

/** Progress of unfinished work in percent; a finished item shows none. */
export function ProgressBar({ status, progress, className }: { status: Status; progress: number | null; className?: string }) {
  if (!isActive(status)) return null;
  const value = Math.max(0, Math.min(100, progress ?? 0));
  return (
    <div
      role="progressbar"
      aria-label="Progress"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      data-testid="task-progress"
      className={cn("h-1.5 w-full overflow-hidden rounded-full bg-zinc-100", className)}
    >
      <div className="h-full rounded-full bg-indigo-500 transition-[width] duration-700 ease-out" style={{ width: `${value}%` }} />
    </div>
  );
}

/** "1.2 s", "340 ms", "2 min 5 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** How long something ran, from ISO start to ISO end (or now). */
export function elapsed(startedAt: string | null, finishedAt: string | null): string | null {
  if (!startedAt) return null;
  const end = finishedAt ? new Date(finishedAt).getTime() : Date.now();
  return formatMs(Math.max(0, end - new Date(startedAt).getTime()));
}
