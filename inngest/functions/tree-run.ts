// Runs and jobs: a tree of tasks. Siblings run in parallel, children after their parent succeeds
// with its output as input; a conditions step gates its branch; the run settles when all are done.
import { runTaskSteps } from "@/inngest/functions/task-steps";
import { eventName } from "@/lib/engine/engine";
import type { Fence, StepApi, WorkflowDefinition } from "@/lib/engine/types";
import { jobOutputUrl } from "@/lib/jobs/jobs";
import { attachParentOutput, endTree, evaluateConditionsTask, finishTree, loadTree, outputFileOf, skipDescendants, type TreeOwner, type TreeTask } from "@/lib/runs/execute";
import { TREE_WORKFLOW } from "@/lib/runs/runs";

type Context = { step: StepApi; fence: Fence; signal: AbortSignal };

async function runNode(node: TreeTask, parentFile: string | null, ctx: Context): Promise<void> {
  const { step, fence } = ctx;
  if (node.kind === "conditions") {
    const verdict = await step.run(`${node.id}:evaluate`, () => evaluateConditionsTask(node.id, parentFile, fence));
    if (!verdict.continue) {
      await step.run(`${node.id}:skip`, () => skipDescendants(node.id, "Skipped: a conditions step did not hold.", fence));
      return;
    }
    await Promise.all(node.children.map((child) => runNode(child, parentFile, ctx)));
    return;
  }
  if (node.fromParent) await step.run(`${node.id}:attach`, () => attachParentOutput(node.id, parentFile, fence));
  const outcome = await runTaskSteps({ ...ctx, taskId: node.id, prefix: `${node.id}:` });
  if (outcome.status !== "succeeded") {
    await step.run(`${node.id}:skip`, () => skipDescendants(node.id, "Skipped: its parent task did not succeed.", fence));
    return;
  }
  const file = await step.run(`${node.id}:output`, () => outputFileOf(node.id));
  await Promise.all(node.children.map((child) => runNode(child, file, ctx)));
}

export const treeRun: WorkflowDefinition<TreeOwner> = {
  name: TREE_WORKFLOW,
  event: eventName(TREE_WORKFLOW),
  async handler({ payload, step, fence, signal }) {
    const roots = await step.run("load", () => loadTree(payload, fence));
    await Promise.all(roots.map((root) => runNode(root, null, { step, fence, signal })));
    const output = payload.jobId ? await step.run("job-output", () => jobOutputUrl(payload.jobId!)) : null;
    return step.run("finish", () => finishTree(payload, fence, { output }));
  },
  onFailure: ({ payload, error, tx }) => endTree(tx, payload, "failed", `The run stopped: ${error.message}`),
  onCancel: ({ payload, tx }) => endTree(tx, payload, "cancelled", "Cancelled by request."),
};
