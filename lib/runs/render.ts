import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import type { RunWithTasks } from "@/lib/runs/runs";
import { loadTaskRows, renderTask, type TaskRows } from "@/lib/tasks/render";
import { renderTaskStatus } from "@/lib/tasks/status";

function progressOf(run: RunWithTasks): number {
  const work = run.tasks.filter((t) => t.kind !== "conditions");
  if (work.length === 0) return 100;
  const done = work.reduce((sum, t) => sum + (t.status === "succeeded" || t.status === "cancelled" || t.status === "failed" ? 100 : (t.progress ?? 0)), 0);
  return Math.round(done / work.length);
}

/** A run with its tasks: full task objects (given their loaded rows) for one run, summaries in lists (api/runs/list). */
export function renderRun(profile: Profile, run: RunWithTasks, detail: "summary" | TaskRows): Record<string, unknown> {
  const tasks =
    detail !== "summary"
      ? run.tasks.map((task) => renderTask(profile, task, detail))
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

/** One run with full task objects. */
export async function presentRun(profile: Profile, run: RunWithTasks, origin: string): Promise<Record<string, unknown>> {
  return renderRun(profile, run, await loadTaskRows(run.tasks, origin, { projectId: run.projectId }));
}
