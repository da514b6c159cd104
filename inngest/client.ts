// The Inngest client and our workflows as Inngest functions: the same handlers the embedded engine
// runs, with Inngest's step.run, retries, onFailure and cancelOn.
import { Inngest } from "inngest";
import { workflows } from "@/inngest/functions";
import { db } from "@/lib/db/client";
import { projectShare } from "@/lib/engine/settings";
import { setInngestSender } from "@/lib/engine/engine";
import type { Fence, Json, StepApi, WorkflowDefinition } from "@/lib/engine/types";
import { env } from "@/lib/env";

export const inngest = new Inngest({ id: "mediabit" });

// Inngest decides who runs a step; there is no lease to lose, so writes are plain transactions.
const plainFence: Fence = {
  async commit(fn) {
    const prisma = await db();
    return prisma.$transaction((tx) => fn(tx));
  },
};

export function toInngestFunction(definition: WorkflowDefinition<Record<string, Json>>) {
  return inngest.createFunction(
    {
      id: definition.name.replace(/\./g, "-"),
      triggers: { event: definition.event },
      retries: Math.max(0, (definition.maxAttempts ?? env().MEDIABIT_TASK_MAX_ATTEMPTS) - 1) as 0,
      // One project's flood waits in its own queue instead of holding every slot (events carry projectId, lib/engine).
      concurrency: [{ key: "event.data.projectId", limit: projectShare() }],
      cancelOn: [{ event: "mediabit/execution.cancel", if: "async.data.key == event.data.key" }],
      onFailure: async ({ event, error }) => {
        const payload = (event.data as { event: { data: Record<string, Json> } }).event.data;
        await plainFence.commit((tx) => definition.onFailure?.({ payload, error, tx }) ?? Promise.resolve());
      },
    },
    async ({ event, step, attempt, runId }) => {
      const adapted: StepApi = { run: (id, fn) => step.run(id, fn) as never };
      const payload = event.data as Record<string, Json>;
      return definition.handler({
        payload,
        step: adapted,
        fence: plainFence,
        signal: new AbortController().signal,
        attempt: attempt + 1,
        executionId: runId,
      });
    },
  );
}

/** Inngest stops a cancelled run between steps; this companion function then runs its onCancel cleanup. */
export function toCancelCleanup(definition: WorkflowDefinition<Record<string, Json>>) {
  const id = definition.name.replace(/\./g, "-");
  return inngest.createFunction(
    { id: `${id}-cancelled`, triggers: { event: "inngest/function.cancelled", if: `event.data.function_id == 'mediabit-${id}'` } },
    async ({ event }) => {
      const payload = (event.data as { event: { data: Record<string, Json> } }).event.data;
      await plainFence.commit((tx) => definition.onCancel?.({ payload, tx }) ?? Promise.resolve());
    },
  );
}

const definitions = workflows as unknown as WorkflowDefinition<Record<string, Json>>[];
export const inngestFunctions = [...definitions.map(toInngestFunction), ...definitions.filter((d) => d.onCancel).map(toCancelCleanup)];

/** Lets lib/ send events (enqueue, cancel) without importing this module. */
export function connectInngestSender(): void {
  setInngestSender((event) => inngest.send(event));
}
