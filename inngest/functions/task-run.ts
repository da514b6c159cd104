// One task, start to finish: begin → ingest (URL/s3 sources) → probe | transform → export → complete.
import type { Json, WorkflowDefinition } from "@/lib/engine/types";
import { isTransformKind } from "@/lib/tasks/kinds";
import {
  beginTask,
  cancelTaskWork,
  completeTask,
  exportTaskOutput,
  failTask,
  ingestTaskSource,
  probeTaskSource,
  transformTask,
} from "@/lib/tasks/execute";
import { TASK_WORKFLOW } from "@/lib/tasks/tasks";

type Payload = { taskId: string };

export const taskRun: WorkflowDefinition<Payload> = {
  name: TASK_WORKFLOW,
  event: `mediabit/${TASK_WORKFLOW}`,
  async handler({ payload: { taskId }, step, fence, signal }) {
    const plan = await step.run("begin", () => beginTask(taskId, fence));
    if (!plan.proceed) return { skipped: true };
    const ctx = { signal, fence };
    let output: Record<string, Json> = {};
    if (plan.ingest) output = { ...output, ...(await step.run("ingest", () => ingestTaskSource(taskId, ctx))) };
    if (plan.kind === "probe") output = (await step.run("probe", () => probeTaskSource(taskId, ctx))) as Record<string, Json>;
    if (isTransformKind(plan.kind)) output = { ...output, ...(await step.run("transform", () => transformTask(taskId, ctx))) };
    if (plan.export) output = { ...output, ...(await step.run("export", () => exportTaskOutput(taskId, ctx))) };
    await step.run("complete", () => completeTask(taskId, fence, output));
    return output;
  },
  onFailure: ({ payload, error, tx }) => failTask(tx, payload.taskId, error),
  onCancel: ({ payload, tx }) => cancelTaskWork(tx, payload.taskId),
};
