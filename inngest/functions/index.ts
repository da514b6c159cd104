// Every workflow Mediabit runs; the embedded engine and Inngest both take this list.
import type { WorkflowDefinition } from "@/lib/engine/types";
import { noop } from "@/inngest/functions/noop";
import { taskRun } from "@/inngest/functions/task-run";
import { treeRun } from "@/inngest/functions/tree-run";

export const workflows = [taskRun, treeRun, noop] as unknown as WorkflowDefinition<never>[];
