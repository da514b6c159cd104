// The steps of one task, shared by standalone tasks and by tasks inside runs and jobs. A task's
// own failure (bad input, refused URL, encoder error) is recorded as a step result, so a replay
// does not redo it and a run can carry on with the task's siblings.
import type { Fence, Json, StepApi } from "@/lib/engine/types";
import { watchTaskCancel } from "@/lib/tasks/cancel-watch";
import { TaskFailure } from "@/lib/tasks/errors";
import {
  cancelTaskWork,
  completeTask,
  exportTaskOutput,
  ingestTaskSource,
  probeTaskSource,
  recordTaskFailure,
  startTask,
  transformTask,
  type FinishTask,
  type StepContext,
} from "@/lib/tasks/execute";
import { isTransformKind } from "@/lib/tasks/kinds";
import { fetchesSource, type TTaskInput } from "@/lib/tasks/tasks";
import { isTerminal } from "@/lib/tasks/status";

type Failed = { failed: { kind: string; message: string } };
export type TaskOutcome = { status: "succeeded" | "failed" | "skipped"; output?: Record<string, Json> };

function isCancelled(value: unknown): value is { cancelled: true } {
  return typeof value === "object" && value !== null && "cancelled" in value;
}

function isFailed(value: unknown): value is Failed {
  return typeof value === "object" && value !== null && "failed" in value;
}

/** step.run that turns a TaskFailure into a memoized result instead of an exception. */
async function attempt<T extends Json>(step: StepApi, id: string, fn: () => Promise<T | { cancelled: true }>): Promise<T | Failed | { cancelled: true }> {
  return step.run(id, async () => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof TaskFailure) return { failed: { kind: error.kind, message: error.message } };
      throw error;
    }
  });
}

/**
 * start → ingest → probe | transform → export. The task turns succeeded in the transaction that publishes its last
 * phase's result (or, when that phase publishes nothing new, in a step of its own); a task that is already finished,
 * as on a replay, reports how it ended.
 */
export async function runTaskSteps(args: { step: StepApi; taskId: string; fence: Fence; signal: AbortSignal; prefix?: string }): Promise<TaskOutcome> {
  const { step, taskId, fence, signal } = args;
  const id = (name: string) => `${args.prefix ?? ""}${name}`;
  const task = await startTask(taskId);
  if (task.status === "succeeded") return { status: "succeeded", output: (task.output ?? {}) as Record<string, Json> };
  if (task.status === "failed") return { status: "failed" };
  if (isTerminal(task.status)) return { status: "skipped" };

  const phases: [string, (ctx: StepContext) => Promise<Json>][] = [];
  if (fetchesSource((task.input as TTaskInput).source) && task.kind !== "probe") phases.push(["ingest", (ctx) => ingestTaskSource(task, ctx)]);
  if (task.kind === "probe") phases.push(["probe", (ctx) => probeTaskSource(task, ctx)]);
  if (isTransformKind(task.kind)) phases.push(["transform", (ctx) => transformTask(task, ctx)]);
  if (task.destination) phases.push(["export", (ctx) => exportTaskOutput(task, ctx)]);

  let output: Record<string, Json> = {};
  let finished = false;
  for (const [index, [name, fn]] of phases.entries()) {
    const last = index === phases.length - 1;
    const finish: FinishTask = async (tx, result, fields) => {
      await completeTask(tx, taskId, name === "probe" ? result : { ...output, ...result }, fields);
      finished = true;
    };
    const result = await attempt(step, id(name), async () => {
      // Inngest never aborts a running step, and the embedded engine only its own process's: the phase watches its task.
      const watch = watchTaskCancel(taskId, signal);
      try {
        return await fn({ signal: watch.signal, fence, finish: last ? finish : undefined });
      } catch (error) {
        if (!watch.signal.aborted || signal.aborted) throw error;
        // Stopped by the watch, not by the engine (which settles its own cancels): an outcome, not a failure to retry.
        // Its unfinished outputs go now, in this step: a replay finds the task cancelled and stops before any step.
        await fence.commit((tx) => cancelTaskWork(tx, taskId));
        return { cancelled: true };
      } finally {
        watch.stop();
      }
    });
    if (isCancelled(result)) return { status: "skipped" };
    if (isFailed(result)) {
      await step.run(id("fail"), () => recordTaskFailure(taskId, fence, result.failed));
      return { status: "failed" };
    }
    output = name === "probe" ? (result as Record<string, Json>) : { ...output, ...(result as Record<string, Json>) };
  }
  // The last phase published nothing (a probe, an export, a replayed step): the task's completion is its own write.
  if (!finished) await step.run(id("complete"), () => fence.commit((tx) => completeTask(tx, taskId, output)));
  return { status: "succeeded", output };
}
