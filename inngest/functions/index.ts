// Every workflow Mediabit runs; the embedded engine and Inngest both take this list.
import type { WorkflowDefinition } from "@/lib/engine/types";
import { noop } from "@/inngest/functions/noop";
import { taskRun } from "@/inngest/functions/task-run";

export const workflows = [taskRun, noop] as unknown as WorkflowDefinition<never>[];
