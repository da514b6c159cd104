// The steps of one task, shared by standalone tasks and by tasks inside runs and jobs. A task's
// own failure (bad input, refused URL, encoder error) is recorded as a step result, so a replay
// does not redo it and a run can carry on with the task's siblings.
import type { Fence, Json, StepApi } from "@/lib/engine/types";
import { TaskFailure } from "@/lib/tasks/errors";
import { beginTask, completeTask, exportTaskOutput, ingestTaskSource, probeTaskSource, recordTaskFailure, transformTask } from "@/lib/tasks/execute";
import { isTransformKind } from "@/lib/tasks/kinds";

type Failed = { failed: { kind: string; message: string } };
export type TaskOutcome = { status: "succeeded" | "failed" | "skipped"; output?: Record<string, Json> };

function isFailed(value: unknown): value is Failed {
  return typeof value === "object" && value !== null && "failed" in value;
}

/** step.run that turns a TaskFailure into a memoized result instead of an exception. */
async function attempt<T extends Json>(step: StepApi, id: string, fn: () => Promise<T>): Promise<T | Failed> {
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
 * begin → ingest → probe | transform → export → complete. With `completeBy: "caller"` the last write (the task
 * succeeded, with its output) is left to the caller, which makes it with the execution's own completion.
 */
export async function runTaskSteps(args: {
  step: StepApi;
  taskId: string;
  fence: Fence;
  signal: AbortSignal;
  prefix?: string;
  completeBy?: "step" | "caller";
}): Promise<TaskOutcome> {
  const { step, taskId, fence, signal } = args;
  const id = (name: string) => `${args.prefix ?? ""}${name}`;
  const plan = await step.run(id("begin"), () => beginTask(taskId, fence));
  if (!plan.proceed) return { status: "skipped" };
  const ctx = { signal, fence };
  let output: Record<string, Json> = {};
  const phases: [boolean, string, () => Promise<Json>][] = [
    [plan.ingest, "ingest", () => ingestTaskSource(taskId, ctx)],
    [plan.kind === "probe", "probe", () => probeTaskSource(taskId, ctx)],
    [isTransformKind(plan.kind), "transform", () => transformTask(taskId, ctx)],
    [plan.export, "export", () => exportTaskOutput(taskId, ctx)],
  ];
  for (const [wanted, name, fn] of phases) {
    if (!wanted) continue;
    const result = await attempt(step, id(name), fn);
    if (isFailed(result)) {
      await step.run(id("fail"), () => recordTaskFailure(taskId, fence, result.failed));
      return { status: "failed" };
    }
    output = name === "probe" ? (result as Record<string, Json>) : { ...output, ...(result as Record<string, Json>) };
  }
  if (args.completeBy !== "caller") await step.run(id("complete"), () => fence.commit((tx) => completeTask(tx, taskId, output)));
  return { status: "succeeded", output };
}
