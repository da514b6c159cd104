// The bodies of a task's workflow steps. Each is idempotent: a retry after a crash finds what the
// previous attempt published (deterministic keys, rows checked first) and never makes a second output.
import { db } from "@/lib/db/client";
import { Prisma, type File, type Task } from "@/lib/db/generated/client";
import type { Fence, Json, Tx } from "@/lib/engine/types";
import { exportFile } from "@/lib/files/export";
import { removeStoredBytes } from "@/lib/files/files";
import { fetchToScratch } from "@/lib/files/fetch-source";
import { ingestIntoFile } from "@/lib/files/ingest";
import { transformFile } from "@/lib/files/transform";
import { probeFile, readFirstBytes } from "@/lib/media/probe";
import { refuseNonMedia, sniffMedia } from "@/lib/media/sniff";
import { redactCredentials } from "@/lib/net/redact";
import { TaskFailure, failing } from "@/lib/tasks/errors";
import type { TDestination } from "@/lib/tasks/schemas";
import { TERMINAL, isTerminal } from "@/lib/tasks/status";
import { fetchesSource, type TTaskInput } from "@/lib/tasks/tasks";

/** What the task's last phase writes in the transaction that publishes its result: the task succeeded, with `output`. */
export type FinishTask = (tx: Tx, output: Record<string, Json>, fields?: { plan?: Json }) => Promise<void>;

/** `finish` is given to the task's last phase; one that publishes calls it inside its publishing transaction. */
export type StepContext = { signal: AbortSignal; fence: Fence; finish?: FinishTask };

/**
 * Progress is written when the whole percentage moves, at most every 2 s (the first time 2 s after the step starts,
 * so quick steps write none), and only while this worker holds the task.
 */
function progressWriter(taskId: string, fence: Fence, from: number, to: number): (fraction: number) => void {
  let last = Date.now();
  let written = -1;
  return (fraction) => {
    const now = Date.now();
    const progress = Math.round(from + (to - from) * Math.min(1, Math.max(0, fraction)));
    if (progress === written || now - last < 2000) return;
    last = now;
    written = progress;
    fence.commit((tx) => tx.task.updateMany({ where: { id: taskId, status: "processing" }, data: { progress } })).catch(() => undefined);
  };
}

/**
 * Marks the task processing and returns its row. One conditional update, without the fence: it only moves a task that
 * has not started (queued, or waiting for its parent), so a worker whose lease has lapsed cannot undo anything, and
 * a cancelled or finished task stays as it is. Runs on every attempt (it is not a step): a retry re-reads the task, so
 * one that was cancelled or finished meanwhile is not worked on again.
 */
export async function startTask(taskId: string): Promise<Task> {
  const prisma = await db();
  try {
    return await prisma.task.update({
      where: { id: taskId, status: { in: ["queued", "waiting"] } },
      data: { status: "processing", progress: 0, startedAt: new Date() },
    });
  } catch (error) {
    // P2025: no such row in a startable status (already started, finished or cancelled): read it as it is.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025")) throw error;
    return prisma.task.findUniqueOrThrow({ where: { id: taskId } });
  }
}

/** Pulls the task's URL or s3:// source into its placeholder file. */
export async function ingestTaskSource(task: Task, ctx: StepContext): Promise<{ file_id: string }> {
  return failing(async () => {
    const input = task.input as TTaskInput;
    const fileId = task.kind === "ingest" ? task.outputFileId : task.inputFileId;
    if (!fileId || !input.source) throw new Error(`task ${task.id} has nothing to ingest`);
    const share = task.kind === "ingest" ? 95 : 30;
    const result = { file_id: fileId };
    const { finish } = ctx;
    await ingestIntoFile(fileId, input.source, {
      ...ctx,
      onProgress: progressWriter(task.id, ctx.fence, 0, share),
      onPublish: finish && ((tx) => finish(tx, result)),
    });
    return result;
  });
}

/** Probes without storing: URL sources are fetched to scratch and removed again. */
export async function probeTaskSource(task: Task, ctx: StepContext): Promise<Json> {
  return failing(async () => {
    const input = task.input as TTaskInput;
    const prisma = await db();
    if (task.inputFileId) {
      const file = await prisma.file.findUniqueOrThrow({ where: { id: task.inputFileId } });
      return { object: "file", file_id: file.id, ...(file.probe as Record<string, Json>) };
    }
    if (!input.source) throw new Error(`task ${task.id} has no source`);
    const scratch = await fetchToScratch(task.projectId, input.source, { signal: ctx.signal, name: task.id });
    try {
      const head = await readFirstBytes(scratch.path);
      refuseNonMedia(head);
      const probe = await probeFile(scratch.path, { hint: sniffMedia(head), signal: ctx.signal });
      const url = input.source.type === "url" ? input.source.url : input.source.type === "s3" ? `s3://${input.source.bucket}/${input.source.key}` : null;
      return { object: "file", url, format: probe.container, ...(probe as unknown as Record<string, Json>) };
    } finally {
      await scratch.remove();
    }
  });
}

export async function transformTask(task: Task, ctx: StepContext): Promise<{ file_id: string }> {
  return failing(async () => {
    if (!task.inputFileId || !task.outputFileId) throw new Error(`task ${task.id} has no input or output file`);
    const result = { file_id: task.outputFileId };
    const { finish } = ctx;
    await transformFile(
      { taskId: task.id, kind: task.kind, options: task.options as Record<string, unknown>, inputFileId: task.inputFileId, outputFileId: task.outputFileId },
      {
        ...ctx,
        // After an ingest phase (URL and s3:// sources), which reported 0–30 %.
        onProgress: progressWriter(task.id, ctx.fence, fetchesSource((task.input as TTaskInput).source) ? 30 : 0, 95),
        recordPlan: finish && ((tx, plan) => finish(tx, result, { plan })),
      },
    );
    return result;
  });
}

export async function exportTaskOutput(task: Task, ctx: StepContext): Promise<{ destination: string }> {
  return failing(async () => {
    const destination = task.destination as TDestination | null;
    const fileId = task.kind === "export" ? task.inputFileId : task.outputFileId;
    if (!destination || !fileId) throw new TaskFailure("invalid_input", "Nothing to export: the task has no output file or no destination.");
    const url = await exportFile({ projectId: task.projectId, fileId, destination, signal: ctx.signal });
    return { destination: url };
  });
}

export async function completeTask(tx: Tx, taskId: string, output: Record<string, Json>, fields: { plan?: Json } = {}): Promise<void> {
  await tx.task.updateMany({
    where: { id: taskId, status: { notIn: [...TERMINAL] } },
    data: {
      status: "succeeded",
      progress: 100,
      finishedAt: new Date(),
      output: output as Prisma.InputJsonValue,
      ...(fields.plan === undefined ? {} : { plan: fields.plan as Prisma.InputJsonValue }),
    },
  });
}

const byteRemovals = new Set<Promise<void>>();

/** Settles once every removal of discarded bytes begun so far has finished (for tests and shutdown). */
export async function settleByteRemovals(): Promise<void> {
  await Promise.all([...byteRemovals]);
}

/**
 * Removes the stored bytes of files whose rows the caller's transaction has just deleted, once that transaction has
 * ended: a rollback keeps rows and bytes together. The read waits on the deleting transaction (its row locks on
 * PostgreSQL, the single connection on PGlite), so it must not be awaited inside it; rows still there mean it rolled back.
 */
function removeBytesAfterCommit(files: Pick<File, "id" | "projectId">[]): void {
  const removal = (async () => {
    const prisma = await db();
    const ids = files.map((f) => f.id);
    const left = await prisma.$queryRaw<{ id: string }[]>`SELECT id FROM files WHERE id = ANY(${ids}) FOR UPDATE`;
    const kept = new Set(left.map((row) => row.id));
    for (const file of files) if (!kept.has(file.id)) await removeStoredBytes(file);
  })()
    // Bytes that cannot be removed now are orphans under a prefix no row names; said, not thrown (nobody awaits this).
    .catch((error: unknown) => console.warn(`could not remove the bytes of discarded files ${files.map((f) => f.id).join(", ")}:`, error))
    .finally(() => byteRemovals.delete(removal));
  byteRemovals.add(removal);
}

/** Placeholders this task made and never filled are removed: a failed ingest stores nothing. */
async function discardUnfinishedOutputs(tx: Tx, task: Task): Promise<void> {
  const pending = await tx.file.findMany({ where: { createdBy: task.id, status: { not: "ready" } }, select: { id: true, projectId: true, mediaId: true } });
  if (pending.length === 0) return;
  await tx.file.deleteMany({ where: { id: { in: pending.map((f) => f.id) } } });
  removeBytesAfterCommit(pending);
  const mediaIds = [...new Set(pending.map((f) => f.mediaId))];
  // A media item made for this task alone goes too.
  await tx.media.deleteMany({ where: { id: { in: mediaIds }, files: { none: {} }, createdBy: task.id } });
}

/** A task's own failure, recorded as it happens (the execution itself carries on or completes). */
export async function recordTaskFailure(taskId: string, fence: Fence, failure: { kind: string; message: string }): Promise<null> {
  await fence.commit((tx) => failTask(tx, taskId, new TaskFailure(failure.kind, failure.message)));
  return null;
}

export async function failTask(tx: Tx, taskId: string, error: Error): Promise<void> {
  const task = await tx.task.findUnique({ where: { id: taskId } });
  if (!task) return;
  await discardUnfinishedOutputs(tx, task);
  if (isTerminal(task.status)) return;
  const kind = error instanceof TaskFailure ? error.kind : "processing_failed";
  await tx.task.update({ where: { id: taskId }, data: { status: "failed", error: redactCredentials(error.message), errorKind: kind, finishedAt: new Date() } });
}

export async function cancelTaskWork(tx: Tx, taskId: string): Promise<void> {
  const task = await tx.task.findUnique({ where: { id: taskId } });
  if (!task) return;
  await discardUnfinishedOutputs(tx, task);
  if (!isTerminal(task.status)) {
    await tx.task.update({ where: { id: taskId }, data: { status: "cancelled", finishedAt: new Date(), error: "Cancelled by request." } });
  }
}
