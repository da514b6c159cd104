// Retrying a task from the dashboard: the API has no retry, so a new task is made from the stored request
// (kind, input, options, destination, ref, metadata, webhook) and goes through the same checks as POST /api/tasks.
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { Task } from "@/lib/db/generated/client";
import { isRetryable } from "@/lib/dashboard/queries";
import type { ProjectScope } from "@/lib/keys/keys";
import type { TCanonicalTask, TDestination } from "@/lib/tasks/schemas";
import { createTask, getTaskOrThrow, type TTaskInput } from "@/lib/tasks/tasks";

async function storedRequest(task: Task): Promise<TCanonicalTask> {
  const input = task.input as TTaskInput;
  // The media item is kept only when the request named it: one the first attempt made for its download is its own
  // (and is gone once a cancelled or failed attempt is cleaned up), so the new task makes a fresh one.
  const prisma = await db();
  const media = task.mediaId ? await prisma.media.findFirst({ where: { id: task.mediaId, projectId: task.projectId, deletedAt: null }, select: { createdBy: true } }) : null;
  const keepsMedia = media !== null && media.createdBy !== task.id;
  return {
    kind: task.kind,
    requestedKind: input.requested_kind ?? task.kind,
    source: input.source,
    options: task.options as Record<string, unknown>,
    destination: (task.destination as TDestination | null) ?? undefined,
    ref: task.ref ?? undefined,
    metadata: task.metadata as Record<string, unknown>,
    webhookUrl: task.webhookUrl ?? undefined,
    mediaId: task.mediaId && keepsMedia && input.source?.type !== "file" && input.source?.type !== "media" ? task.mediaId : undefined,
  };
}

/** A new task with the same request as a failed or cancelled one of the project's; the old one stays as it was. */
export async function retryTask(scope: ProjectScope, id: string, options: { createdBy?: string } = {}): Promise<Task> {
  const task = await getTaskOrThrow(scope, id);
  if (!isRetryable(task)) {
    throw new AppError(
      "conflict",
      task.runId || task.jobId
        ? `Task ${task.id} is part of a ${task.runId ? "run" : "job"}; create the ${task.runId ? "run" : "job"} again to retry it.`
        : `Task ${task.id} is ${task.status}; only failed or cancelled tasks can be retried.`,
    );
  }
  const { task: created } = await createTask(scope, await storedRequest(task), options);
  return created;
}
