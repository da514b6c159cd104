import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Worker } from "@/lib/engine/embedded";
import { dispatch, enqueue, setLocalWorker } from "@/lib/engine/engine";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { NonRetriableError } from "@/lib/engine/errors";
import { OUTAGE_HANDBACKS_MAX } from "@/lib/engine/settings";
import { announceSettled, settledOrTimeout } from "@/lib/engine/settled";
import type { WorkflowDefinition } from "@/lib/engine/types";
import { newId } from "@/lib/ids";
import { startTestWorker, waitFor } from "@/tests/helpers/engine";

const workers: Worker[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop({ graceMs: 2000 });
});

async function enqueueRaw(fn: string, payload: Record<string, unknown>, maxAttempts = 5): Promise<string> {
  const prisma = await db();
  const id = newId("exe");
  await prisma.execution.create({ data: { id, function: fn, payload: payload as object, key: `test:${id}`, maxAttempts } });
  return id;
}

async function execution(id: string) {
  return (await db()).execution.findUniqueOrThrow({ where: { id } });
}

describe("embedded engine", () => {
  it("runs an execution to completion and memoizes each step", async () => {
    const calls: string[] = [];
    const def: WorkflowDefinition<{ x: number }> = {
      name: "t.sum",
      event: "t/sum",
      async handler({ payload, step }) {
        const a = await step.run("a", async () => (calls.push("a"), payload.x + 1));
        const b = await step.run("b", async () => (calls.push("b"), a * 2));
        return { b };
      },
    };
    workers.push(startTestWorker({ definitions: [def as never] }));
    const id = await enqueueRaw("t.sum", { x: 4 });
    const done = await waitFor(async () => ((await execution(id)).status === "completed" ? execution(id) : null));
    expect(done.output).toEqual({ b: 10 });
    expect(calls).toEqual(["a", "b"]);
    // A step's result is stored before the next step starts; the last one's lives only in the execution's output,
    // since a completed execution never replays.
    const steps = await (await db()).executionStep.findMany({ where: { executionId: id }, orderBy: { createdAt: "asc" } });
    expect(steps.map((s) => [s.stepId, s.output])).toEqual([["a", 5]]);
  });

  it("retries with backoff and resumes after the last completed step", async () => {
    const calls: string[] = [];
    let failures = 2;
    const def: WorkflowDefinition = {
      name: "t.flaky",
      event: "t/flaky",
      async handler({ step, attempt }) {
        await step.run("first", async () => (calls.push(`first@${attempt}`), 1));
        await step.run("second", async () => {
          calls.push(`second@${attempt}`);
          if (failures-- > 0) throw new Error("transient");
          return 2;
        });
      },
    };
    workers.push(startTestWorker({ definitions: [def as never] }));
    const id = await enqueueRaw("t.flaky", {});
    const done = await waitFor(async () => ((await execution(id)).status === "completed" ? execution(id) : null));
    expect(done.attempt).toBe(3);
    expect(calls).toEqual(["first@1", "second@1", "second@2", "second@3"]);
  });

  it("fails for good after max attempts, or at once for a non-retriable error, and calls onFailure once", async () => {
    const failed: string[] = [];
    const def: WorkflowDefinition<{ permanent: boolean }> = {
      name: "t.fail",
      event: "t/fail",
      async handler({ payload }) {
        if (payload.permanent) throw new NonRetriableError("bad input");
        throw new Error("always");
      },
      async onFailure({ error }) {
        failed.push(error.message);
      },
    };
    workers.push(startTestWorker({ definitions: [def as never] }));
    const a = await enqueueRaw("t.fail", { permanent: false }, 2);
    const b = await enqueueRaw("t.fail", { permanent: true }, 5);
    await waitFor(async () => (await execution(a)).status === "failed" && (await execution(b)).status === "failed");
    expect((await execution(a)).attempt).toBe(2);
    expect((await execution(b)).attempt).toBe(1);
    expect((await execution(b)).lastError).toBe("bad input");
    expect(failed.sort()).toEqual(["always", "bad input"]);
  });

  it("counts attempts again after OUTAGE_HANDBACKS_MAX hand-backs for an error that only looks like an outage", async () => {
    const runs: number[] = [];
    const failed: string[] = [];
    const def: WorkflowDefinition = {
      name: "t.fake-outage",
      event: "t/fake-outage",
      async handler({ attempt }) {
        runs.push(attempt);
        // A source's timeout: isDatabaseUnavailable says "unavailable", but the database answers every time.
        throw new Error("Connection timeout");
      },
      async onFailure({ error }) {
        failed.push(error.message);
      },
    };
    expect(isDatabaseUnavailable(new Error("Connection timeout"))).toBe(true);
    const lines: string[] = [];
    workers.push(startTestWorker({ definitions: [def as never], log: (line) => lines.push(line) }));
    const id = await enqueueRaw("t.fake-outage", {}, 2);
    const done = await waitFor(async () => ((await execution(id)).status === "failed" ? execution(id) : null), 30_000);
    // The first OUTAGE_HANDBACKS_MAX runs are handed back uncounted (all attempt 1), then each attempt counts.
    expect(runs).toEqual([...Array.from({ length: OUTAGE_HANDBACKS_MAX }, () => 1), 1, 2]);
    expect(done.attempt).toBe(2);
    expect(done.lastError).toBe("Connection timeout");
    expect(failed).toEqual(["Connection timeout"]);
    expect(lines.some((line) => line.includes("attempt 1 failed, retrying"))).toBe(true);
  });

  it("fences out a worker whose lease expired: its late writes change nothing", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runs: string[] = [];
    const def: WorkflowDefinition = {
      name: "t.fence",
      event: "t/fence",
      async handler({ step, attempt }) {
        const value = await step.run("work", async () => {
          runs.push(`start@${attempt}`);
          if (attempt === 1) await gate;
          return `result-of-attempt-${attempt}`;
        });
        // A following step makes each attempt try to store "work" (results are stored before the next step starts).
        await step.run("after", async () => null);
        return { value };
      },
    };
    // A long lease: the first worker will not renew it during the test; we expire it by hand.
    const stale = startTestWorker({ definitions: [def as never], leaseMs: 60_000 });
    workers.push(stale);
    const id = await enqueueRaw("t.fence", {});
    await waitFor(async () => runs.includes("start@1"));
    const prisma = await db();
    await prisma.$executeRaw`UPDATE executions SET lease_expires_at = now() - interval '1 second' WHERE id = ${id}`;
    const fresh = startTestWorker({ definitions: [def as never], leaseMs: 60_000 });
    workers.push(fresh);
    await waitFor(async () => (await execution(id)).status === "completed");
    release();
    // The stale worker's attempt ends (its late step write refused) before we look: stop() waits for it.
    await stale.stop({ graceMs: 10_000 });
    const done = await execution(id);
    expect(done.output).toEqual({ value: "result-of-attempt-2" });
    const steps = await prisma.executionStep.findMany({ where: { executionId: id } });
    expect(steps.map((s) => s.output)).toEqual(["result-of-attempt-2"]);
  });

  it("cancels a running execution through its signal", async () => {
    const def: WorkflowDefinition = {
      name: "t.long",
      event: "t/long",
      async handler({ step, signal }) {
        await step.run("wait", () => new Promise<null>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason))));
      },
    };
    const worker = startTestWorker({ definitions: [def as never], leaseMs: 600 });
    workers.push(worker);
    const id = await enqueueRaw("t.long", {});
    await waitFor(async () => (await execution(id)).status === "running");
    await (await db()).execution.update({ where: { id }, data: { cancelRequested: true } });
    await waitFor(async () => (await execution(id)).status === "cancelled", 10_000);
  });

  it("never runs one execution twice when several workers compete", async () => {
    const seen: string[] = [];
    const def: WorkflowDefinition<{ n: number }> = {
      name: "t.count",
      event: "t/count",
      async handler({ payload, step }) {
        await step.run("once", async () => (seen.push(String(payload.n)), null));
      },
    };
    for (let i = 0; i < 3; i++) workers.push(startTestWorker({ definitions: [def as never], concurrency: 4 }));
    const ids = await Promise.all(Array.from({ length: 60 }, (_, n) => enqueueRaw("t.count", { n })));
    await waitFor(async () => (await (await db()).execution.count({ where: { id: { in: ids }, status: "completed" } })) === ids.length, 60_000);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
  });

  describe("hand-over to this process's worker", () => {
    afterEach(() => setLocalWorker(undefined));

    /** A workflow whose runs wait at a gate; `attempts` records each run's attempt number. */
    function gated() {
      let open: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const attempts: number[] = [];
      const def: WorkflowDefinition = {
        name: "t.gated",
        event: "t/gated",
        async handler({ attempt }) {
          attempts.push(attempt);
          await gate;
          return { attempt };
        },
      };
      return { def, attempts, open: () => open() };
    }

    /** The gated workflow's worker, registered as this process's own (the one `enqueue` offers work to). */
    function startLocalWorker(def: WorkflowDefinition, options: { pollMs?: number; concurrency?: number }): Worker {
      const worker = startTestWorker({ definitions: [def as never], ...options });
      workers.push(worker);
      setLocalWorker(worker);
      return worker;
    }

    async function enqueueInTransaction(payload: Record<string, number>) {
      const prisma = await db();
      return prisma.$transaction((tx) => enqueue(tx, "t.gated", payload, { key: `test:${randomUUID()}` }));
    }

    it("starts an execution enqueued here at once, already leased, without a claim", async () => {
      const { def, attempts, open } = gated();
      // Polling once a minute: a run that starts within the test was handed over, not claimed.
      const worker = startLocalWorker(def, { pollMs: 60_000 });
      const enqueued = await enqueueInTransaction({ n: 1 });
      // Committed as running, attempt 1, leased to this worker: no other worker can claim it.
      expect(await execution(enqueued.executionId)).toMatchObject({ status: "running", attempt: 1, leaseOwner: worker.id });
      expect((await execution(enqueued.executionId)).leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now());
      await dispatch([enqueued]);
      await waitFor(async () => attempts.length === 1, 5_000, "the handed-over run to start");
      // A waiter in this process hears the moment the run ends (a minute-long fallback would time the test out).
      const heard = settledOrTimeout(enqueued.key, 60_000);
      open();
      await heard;
      expect(await execution(enqueued.executionId)).toMatchObject({ status: "completed", output: { attempt: 1 } });
    });

    it("puts a handed-over execution back in the queue when the worker filled up meanwhile; it runs once a slot frees", async () => {
      const { def, attempts, open } = gated();
      const worker = startLocalWorker(def, { concurrency: 1 });
      // Both were offered the one free slot before either was handed over.
      const first = await enqueueInTransaction({ n: 1 });
      const second = await enqueueInTransaction({ n: 2 });
      expect(await execution(second.executionId)).toMatchObject({ status: "running", leaseOwner: worker.id });
      await dispatch([first]);
      await dispatch([second]);
      await waitFor(async () => (await execution(second.executionId)).status === "queued", 5_000, "the second to go back to the queue");
      expect(await execution(second.executionId)).toMatchObject({ attempt: 0, leaseOwner: null, leaseExpiresAt: null });
      expect(attempts).toEqual([1]);
      open();
      const ids = [first.executionId, second.executionId];
      await waitFor(async () => (await (await db()).execution.count({ where: { id: { in: ids }, status: "completed" } })) === 2, 10_000);
      // Each ran once, as its first attempt.
      expect(attempts).toEqual([1, 1]);
    });
  });

  it("wakes in-process waiters when an execution settles, and lets a waiter go at its timeout otherwise", async () => {
    const key = `test:${randomUUID()}`;
    const both = Promise.all([settledOrTimeout(key, 60_000), settledOrTimeout(key, 60_000)]);
    announceSettled(key);
    await both;
    const started = Date.now();
    await settledOrTimeout(`test:${randomUUID()}`, 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    // A late announcement, or one nobody waits for, is a no-op.
    announceSettled(key);
  });
});
