// One standalone task, start to finish: start → ingest (URL/s3 sources) → probe | transform → export.
import { runTaskSteps } from "@/inngest/functions/task-steps";
import { eventName } from "@/lib/engine/engine";
import type { Json, WorkflowDefinition } from "@/lib/engine/types";
import { cancelTaskWork, failTask } from "@/lib/tasks/execute";
import { TASK_WORKFLOW } from "@/lib/tasks/tasks";

type Payload = { taskId: string };

export const taskRun: WorkflowDefinition<Payload> = {
  name: TASK_WORKFLOW,
  event: eventName(TASK_WORKFLOW),
  async handler({ payload: { taskId }, step, fence, signal }) {
    const outcome = await runTaskSteps({ step, taskId, fence, signal });
    const result: Json = outcome.status === "succeeded" ? { status: outcome.status, output: outcome.output ?? {} } : { status: outcome.status };
    return result;
  },
  onFailure: ({ payload, error, tx }) => failTask(tx, payload.taskId, error),
  onCancel: ({ payload, tx }) => cancelTaskWork(tx, payload.taskId),
};
