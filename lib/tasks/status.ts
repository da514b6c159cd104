// One internal status, rendered per generation (tasks.md §3).
import type { Profile } from "@/lib/api/version";
import type { TaskStatus } from "@/lib/db/generated/client";

const B_STATUS: Record<TaskStatus, string> = {
  waiting: "pending",
  queued: "waiting",
  processing: "processing",
  succeeded: "completed",
  failed: "failed",
  cancelled: "cancelled",
};

const JOB_STATUS: Record<TaskStatus, string> = {
  waiting: "queued",
  queued: "queued",
  processing: "processing",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
};

export function renderTaskStatus(profile: Profile, status: TaskStatus): string {
  return profile.name === "current" ? status : B_STATUS[status];
}

export function renderJobStatus(status: TaskStatus): string {
  return JOB_STATUS[status];
}

export const TERMINAL: readonly TaskStatus[] = ["succeeded", "failed", "cancelled"];

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL.includes(status);
}

/** Status filters arrive in any generation's words. */
export function parseStatusFilter(value: string): TaskStatus[] {
  const v = value.toLowerCase();
  const map: Record<string, TaskStatus[]> = {
    pending: ["waiting"],
    waiting: ["waiting", "queued"],
    queued: ["queued", "waiting"],
    processing: ["processing"],
    completed: ["succeeded"],
    ready: ["succeeded"],
    succeeded: ["succeeded"],
    failed: ["failed"],
    error: ["failed"],
    cancelled: ["cancelled"],
  };
  return map[v] ?? [];
}
