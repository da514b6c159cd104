import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import type { RunWithTasks } from "@/lib/runs/runs";
import { presentTasks } from "@/lib/tasks/present";
import { renderTaskStatus } from "@/lib/tasks/status";

function progressOf(run: RunWithTasks): number {
  const work = run.tasks.filter((t) => t.kind !== "conditions");
  if (work.length === 0) return 100;
  const done = work.reduce((sum, t) => sum + (t.status === "succeeded" || t.status === "cancelled" || t.status === "failed" ? 100 : (t.progress ?? 0)), 0);
  return Math.round(done / work.length);
}

/** A run with its tasks: full task objects for one run, summaries in lists (api/runs/list). */
export async function renderRun(profile: Profile, run: RunWithTasks, origin: string, detail: "full" | "summary"): Promise<Record<string, unknown>> {
  const tasks =
    detail === "full"
      ? await presentTasks(profile, run.tasks, origin)
      : run.tasks.map((t) => ({ id: t.id, kind: t.kind, status: renderTaskStatus(profile, t.status), progress: t.progress, parent_id: t.parentId }));
  return {
    id: run.id,
    object: "run",
    status: renderTaskStatus(profile, run.status),
    progress: progressOf(run),
    metadata: run.metadata,
    error: run.error,
    created_by: run.createdBy,
    tasks,
    ...renderTimes(profile, "c", { created: run.createdAt, updated: run.updatedAt, started: run.startedAt, finished: run.finishedAt }),
  };
}
