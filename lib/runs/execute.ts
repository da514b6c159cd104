// Step bodies of the tree workflow shared by runs and jobs: load the tree, hand a parent's output to
// its children, evaluate conditions, skip branches, and settle the run or job at the end.
import { db } from "@/lib/db/client";
import type { Prisma, Task, TaskStatus } from "@/lib/db/generated/client";
import type { Fence, Tx } from "@/lib/engine/types";
import { createPendingFile } from "@/lib/files/files";
import { newId } from "@/lib/ids";
import { evaluateConditions, type Facts, type TCondition } from "@/lib/runs/conditions";
import { isTransformKind } from "@/lib/tasks/kinds";
import type { TTaskInput } from "@/lib/tasks/tasks";

export type TreeOwner = { runId?: string; jobId?: string };
export type TreeTask = { id: string; kind: string; fromParent: boolean; children: TreeTask[] };

function ownerWhere(owner: TreeOwner): Prisma.TaskWhereInput {
  return owner.runId ? { runId: owner.runId } : { jobId: owner.jobId };
}

export async function loadTree(owner: TreeOwner, fence: Fence): Promise<TreeTask[]> {
  return fence.commit(async (tx) => {
    const tasks = await tx.task.findMany({ where: ownerWhere(owner), orderBy: { position: "asc" } });
    const now = new Date();
    if (owner.runId) await tx.run.updateMany({ where: { id: owner.runId, status: { in: ["waiting", "queued"] } }, data: { status: "processing", startedAt: now } });
    if (owner.jobId) await tx.job.updateMany({ where: { id: owner.jobId, status: { in: ["waiting", "queued"] } }, data: { status: "processing", startedAt: now } });
    const nodes = new Map<string, TreeTask>(
      tasks.map((t) => [t.id, { id: t.id, kind: t.kind, fromParent: (t.input as TTaskInput).source?.type === "parent", children: [] }]),
    );
    const roots: TreeTask[] = [];
    for (const task of tasks) {
      const node = nodes.get(task.id)!;
      const parent = task.parentId ? nodes.get(task.parentId) : undefined;
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    return roots;
  });
}

/** The file a task hands to its children: what it made, or (export, probe) what it was given. */
export async function outputFileOf(taskId: string): Promise<string | null> {
  const prisma = await db();
  const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId }, select: { outputFileId: true, inputFileId: true, kind: true } });
  return task.kind === "export" || task.kind === "probe" ? task.inputFileId : (task.outputFileId ?? task.inputFileId);
}

/** A child that reads its parent's output gets that file (and, for transforms, a placeholder for its own output). */
export async function attachParentOutput(taskId: string, fileId: string | null, fence: Fence): Promise<null> {
  await fence.commit(async (tx) => {
    const task = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
    if ((task.input as TTaskInput).source?.type !== "parent" || task.inputFileId) return;
    if (!fileId) {
      await tx.task.update({ where: { id: taskId }, data: { status: "failed", error: "The parent task produced no file to work on.", errorKind: "invalid_input", finishedAt: new Date() } });
      return;
    }
    const file = await tx.file.findUniqueOrThrow({ where: { id: fileId } });
    let outputFileId = task.outputFileId;
    if (isTransformKind(task.kind) && !outputFileId) {
      const output = await createPendingFile(tx, {
        id: newId("file"),
        projectId: task.projectId,
        mediaId: file.mediaId,
        ref: task.ref,
        metadata: task.metadata as Record<string, unknown>,
        object: task.kind === "thumbnails" ? "track" : "source",
        createdBy: task.id,
      });
      outputFileId = output.id;
    }
    await tx.task.update({ where: { id: taskId }, data: { inputFileId: fileId, mediaId: file.mediaId, outputFileId } });
  });
  return null;
}

function factsOf(file: { kind: string | null; type: string | null; container: string | null; codec: string | null; width: number | null; height: number | null; duration: number | null; fps: number | null; filesize: bigint; orientation: string | null; ref: string | null; probe: unknown }): Facts {
  const probe = (file.probe ?? {}) as { has_audio?: boolean; has_video?: boolean };
  return {
    kind: file.kind,
    type: file.type?.split(";")[0] ?? null,
    container: file.container,
    codec: file.codec,
    width: file.width,
    height: file.height,
    duration: file.duration,
    fps: file.fps,
    filesize: Number(file.filesize),
    orientation: file.orientation,
    ref: file.ref,
    has_audio: probe.has_audio,
    has_video: probe.has_video,
  };
}

/** Settles a conditions step; its `results` follow the SDK's `{passed, failed, continue}`. */
export async function evaluateConditionsTask(taskId: string, fileId: string | null, fence: Fence): Promise<{ continue: boolean }> {
  const prisma = await db();
  const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId } });
  const conditions = (task.options as { conditions: TCondition[] }).conditions;
  const file = fileId ? await prisma.file.findUnique({ where: { id: fileId } }) : null;
  const results = evaluateConditions(conditions, file ? factsOf(file) : {});
  await fence.commit((tx) =>
    tx.task.update({
      where: { id: taskId },
      data: { status: "succeeded", progress: 100, inputFileId: fileId, output: { results } as unknown as Prisma.InputJsonValue, startedAt: new Date(), finishedAt: new Date() },
    }),
  );
  return { continue: results.continue };
}

/** Descendants of a failed task, or of a conditions step that did not hold, never start. */
export async function skipDescendants(taskId: string, reason: string, fence: Fence): Promise<null> {
  await fence.commit(async (tx) => {
    let frontier = [taskId];
    while (frontier.length > 0) {
      const children = await tx.task.findMany({ where: { parentId: { in: frontier } }, select: { id: true } });
      const ids = children.map((c) => c.id);
      if (ids.length === 0) break;
      await tx.task.updateMany({ where: { id: { in: ids }, status: { in: ["waiting", "queued"] } }, data: { status: "cancelled", error: reason, finishedAt: new Date() } });
      await discardPlaceholders(tx, ids);
      frontier = ids;
    }
  });
  return null;
}

async function discardPlaceholders(tx: Tx, taskIds: string[]): Promise<void> {
  await tx.file.deleteMany({ where: { createdBy: { in: taskIds }, status: { not: "ready" } } });
}

function overallStatus(tasks: Pick<Task, "status">[]): TaskStatus {
  if (tasks.some((t) => t.status === "failed")) return "failed";
  if (tasks.length > 0 && tasks.every((t) => t.status === "cancelled")) return "cancelled";
  return "succeeded";
}

export async function finishTree(owner: TreeOwner, fence: Fence, summary: { output?: string | null } = {}): Promise<{ status: TaskStatus }> {
  return fence.commit(async (tx) => {
    const tasks = await tx.task.findMany({ where: ownerWhere(owner), orderBy: { position: "asc" } });
    const status = overallStatus(tasks.filter((t) => t.kind !== "conditions" || t.status !== "succeeded"));
    const failed = tasks.find((t) => t.status === "failed");
    const now = new Date();
    if (owner.runId) {
      await tx.run.updateMany({ where: { id: owner.runId, status: { notIn: ["succeeded", "failed", "cancelled"] } }, data: { status, finishedAt: now, error: failed ? `${failed.kind} task ${failed.id} failed: ${failed.error}` : null } });
    }
    if (owner.jobId) {
      await tx.job.updateMany({
        where: { id: owner.jobId, status: { notIn: ["succeeded", "failed", "cancelled"] } },
        data: {
          status,
          finishedAt: now,
          output: status === "succeeded" ? (summary.output ?? undefined) : undefined,
          error: failed ? ({ kind: failed.errorKind ?? "task_failed", message: failed.error ?? "A task failed." } as Prisma.InputJsonValue) : undefined,
        },
      });
    }
    return { status };
  });
}

/** Cancel or crash: every unfinished task of the tree ends, placeholders go. */
export async function endTree(tx: Tx, owner: TreeOwner, status: "cancelled" | "failed", message: string): Promise<void> {
  const open = await tx.task.findMany({ where: { ...ownerWhere(owner), status: { notIn: ["succeeded", "failed", "cancelled"] } }, select: { id: true } });
  const ids = open.map((t) => t.id);
  // Conditional, like completeTask: a task that finished since the read keeps its result.
  await tx.task.updateMany({ where: { id: { in: ids }, status: { notIn: ["succeeded", "failed", "cancelled"] } }, data: { status: status === "cancelled" ? "cancelled" : "failed", error: message, finishedAt: new Date() } });
  await discardPlaceholders(tx, ids);
  const now = new Date();
  if (owner.runId) await tx.run.updateMany({ where: { id: owner.runId, status: { notIn: ["succeeded", "failed", "cancelled"] } }, data: { status, error: message, finishedAt: now } });
  if (owner.jobId) {
    await tx.job.updateMany({
      where: { id: owner.jobId, status: { notIn: ["succeeded", "failed", "cancelled"] } },
      data: { status, error: { kind: status === "cancelled" ? "cancelled" : "internal_error", message } as Prisma.InputJsonValue, finishedAt: now },
    });
  }
}
