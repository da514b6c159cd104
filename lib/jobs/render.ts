import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import { db } from "@/lib/db/client";
import { deliveryUrl } from "@/lib/files/render";
import type { JobWithTasks } from "@/lib/jobs/jobs";
import { redactCredentials } from "@/lib/net/redact";
import { presentTasks } from "@/lib/tasks/present";
import { renderJobStatus } from "@/lib/tasks/status";

/** Jobs exist only in the D generation: D statuses and, in the current profile, Unix milliseconds. */
export async function renderJob(profile: Profile, job: JobWithTasks, origin: string): Promise<Record<string, unknown>> {
  let output = job.status === "succeeded" ? job.output : null;
  const encode = job.tasks.find((t) => t.kind === job.kind);
  if (job.status === "succeeded" && (!output || !output.startsWith("s3://")) && encode?.outputFileId) {
    const prisma = await db();
    const file = await prisma.file.findUnique({ where: { id: encode.outputFileId }, include: { project: { select: { alias: true } } } });
    if (file) output = deliveryUrl(origin, file.project.alias, file.path);
  }
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
    tasks: await presentTasks({ ...profile, name: "current" }, job.tasks, origin, "d"),
    ...renderTimes(profile, "d", { created: job.createdAt, updated: job.updatedAt, started: job.startedAt, finished: job.finishedAt }),
  };
}
