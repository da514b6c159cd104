// Jobs exist only in the D generation: D statuses and, in the current profile, Unix milliseconds. Rendering is pure:
// `presentJobs` loads every job's files in one batch first (two queries for a page, however many jobs).
import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import { deliveryUrl } from "@/lib/files/render";
import type { JobWithTasks } from "@/lib/jobs/jobs";
import { redactCredentials } from "@/lib/net/redact";
import { loadTaskRows, renderTask, type TaskRows } from "@/lib/tasks/render";
import { renderJobStatus } from "@/lib/tasks/status";

export function renderJob(profile: Profile, job: JobWithTasks, rows: TaskRows): Record<string, unknown> {
  let output = job.status === "succeeded" ? job.output : null;
  const encode = job.tasks.find((t) => t.kind === job.kind);
  if (job.status === "succeeded" && (!output || !output.startsWith("s3://")) && encode?.outputFileId) {
    const file = rows.files.get(encode.outputFileId);
    if (file) output = deliveryUrl(rows.at.origin, rows.at.alias, file.path);
  }
  // Tasks inside a job are D objects whatever profile the caller pinned.
  const taskProfile: Profile = { ...profile, name: "current" };
  return {
    id: job.id,
    object: "job",
    kind: job.kind,
    input: redactCredentials(job.input),
    output,
    options: job.options,
    metadata: job.metadata,
    status: renderJobStatus(job.status),
    error: job.error,
    created_by: job.createdBy,
    tasks: job.tasks.map((task) => renderTask(taskProfile, task, rows, "d")),
    ...renderTimes(profile, "d", { created: job.createdAt, updated: job.updatedAt, started: job.startedAt, finished: job.finishedAt }),
  };
}

/** Jobs of one project. */
export async function presentJobs(profile: Profile, jobs: JobWithTasks[], origin: string): Promise<Record<string, unknown>[]> {
  if (jobs.length === 0) return [];
  const rows = await loadTaskRows(
    jobs.flatMap((job) => job.tasks),
    origin,
    { projectId: jobs[0]!.projectId },
  );
  return jobs.map((job) => renderJob(profile, job, rows));
}

export async function presentJob(profile: Profile, job: JobWithTasks, origin: string): Promise<Record<string, unknown>> {
  const [rendered] = await presentJobs(profile, [job], origin);
  return rendered!;
}
