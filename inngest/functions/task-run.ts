// One standalone task, start to finish: begin → ingest (URL/s3 sources) → probe | transform → export → complete.
import { runTaskSteps } from "@/inngest/functions/task-steps";
import type { Json, WorkflowDefinition } from "@/lib/engine/types";
import { cancelTaskWork, completeTask, failTask } from "@/lib/tasks/execute";
import { TASK_WORKFLOW } from "@/lib/tasks/tasks";

type Payload = { taskId: string };

export const taskRun: WorkflowDefinition<Payload> = {
  name: TASK_WORKFLOW,
  event: `mediabit/${TASK_WORKFLOW}`,
  async handler({ payload: { taskId }, step, fence, signal }) {
    const outcome = await runTaskSteps({ step, taskId, fence, signal, completeBy: "caller" });
    const result: Json = outcome.status === "succeeded" ? { status: outcome.status, output: outcome.output ?? {} } : { status: outcome.status };
    return result;
  },
  // The task turns succeeded in the same transaction as its execution completes.
  onComplete: async ({ payload, output, tx }) => {
    const result = output as { status: string; output?: Record<string, Json> } | null;
    if (result?.status === "succeeded") await completeTask(tx, payload.taskId, result.output ?? {});
  },
  onFailure: ({ payload, error, tx }) => failTask(tx, payload.taskId, error),
  onCancel: ({ payload, tx }) => cancelTaskWork(tx, payload.taskId),
};
