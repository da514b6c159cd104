// A workflow that does nothing but exist: it measures the engine itself (bench/) and proves in
// tests that each execution runs once. Only code enqueues it; no API exposes it.
import { appendFile } from "node:fs/promises";
import type { WorkflowDefinition } from "@/lib/engine/types";

type Payload = { n: number; log?: string };

export const noop: WorkflowDefinition<Payload> = {
  name: "engine.noop",
  event: "mediabit/engine.noop",
  async handler({ payload, step, executionId, attempt }) {
    return step.run("noop", async () => {
      // One line per execution of the step body: a duplicate run shows up as a duplicate line.
      if (payload.log) await appendFile(payload.log, `${executionId} ${payload.n} ${process.pid} ${attempt}\n`);
      return { n: payload.n };
    });
  },
};
