// Fair claiming: projects take turns for a worker's slots, and while several have work waiting none holds more than its
// share; a project alone still fills every slot. The same share bounds the hand-over of work enqueued in this process.
import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Worker } from "@/lib/engine/embedded";
import { dispatch, enqueue, setLocalWorker } from "@/lib/engine/engine";
import type { WorkflowDefinition } from "@/lib/engine/types";
import { newId } from "@/lib/ids";
import { createTestProject } from "@/tests/helpers/api";
import { startTestWorker, waitFor } from "@/tests/helpers/engine";

const workers: Worker[] = [];
afterEach(async () => {
  setLocalWorker(undefined);
  for (const w of workers.splice(0)) await w.stop({ graceMs: 2000 });
});

let A: string;
let B: string;
beforeAll(async () => {
  [A, B] = [(await createTestProject()).projectId, (await createTestProject()).projectId];
});

/**
 * A workflow whose runs record their start (`started`, as "<project label>") and, when gated, wait until `release(n)`
 * lets their payload's number `n` go.
 */
function recorder(options: { gated: boolean }) {
  const name = `t.fair.${randomUUID().slice(0, 8)}`;
  const started: { label: string; n: number }[] = [];
  const gates = new Map<number, () => void>();
  const waiting = new Map<number, Promise<void>>();
  const gateFor = (n: number) => {
    let promise = waiting.get(n);
    if (!promise) {
      promise = new Promise<void>((resolve) => gates.set(n, resolve));
      waiting.set(n, promise);
    }
    return promise;
  };
  const def: WorkflowDefinition<{ label: string; n: number }> = {
    name,
    event: `t/${name}`,
    async handler({ payload }) {
      started.push({ label: payload.label, n: payload.n });
      if (options.gated) await gateFor(payload.n);
      return null;
    },
  };
  return {
    def: def as unknown as WorkflowDefinition,
    started,
    labels: () => started.map((s) => s.label),
    release(n: number) {
      void gateFor(n);
      gates.get(n)?.();
    },
  };
}

let counter = 0;
/** Queued rows, one by one (so their created_at order is their order here). */
async function queue(workflow: string, projectId: string, label: string, count: number): Promise<number[]> {
  const prisma = await db();
  const numbers: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++counter;
    const id = newId("exe");
    await prisma.execution.create({ data: { id, projectId, function: workflow, payload: { label, n }, key: `test:${id}`, maxAttempts: 1 } });
    numbers.push(n);
  }
  return numbers;
}

async function statuses(workflow: string) {
  const rows = await (await db()).execution.findMany({ where: { function: workflow } });
  return rows.map((row) => ({ label: (row.payload as { label: string }).label, status: row.status }));
}

function running(rows: { label: string; status: string }[]): string[] {
  return rows.filter((row) => row.status === "running").map((row) => row.label).sort();
}

describe("fair claiming (embedded engine)", () => {
  it("with one slot, runs project B's one execution right after the first of A's queue, not after all of it", async () => {
    const r = recorder({ gated: false });
    await queue(r.def.name, A, "A", 5);
    await queue(r.def.name, B, "B", 1);
    workers.push(startTestWorker({ definitions: [r.def as never], concurrency: 1 }));
    await waitFor(async () => r.started.length === 6, 20_000, "all six to run");
    // A's first is the oldest work; then B, whose project this worker has not served yet; then the rest of A.
    expect(r.labels()).toEqual(["A", "B", "A", "A", "A", "A"]);
  });

  it("with two slots, holds each project to one while both have work waiting, handing a freed slot to the project below its share", async () => {
    const r = recorder({ gated: true });
    const a = await queue(r.def.name, A, "A", 4);
    const b = await queue(r.def.name, B, "B", 2);
    workers.push(startTestWorker({ definitions: [r.def as never], concurrency: 2 }));
    await waitFor(async () => r.started.length === 2, 20_000, "two to start");
    expect(r.labels().sort()).toEqual(["A", "B"]);
    expect(running(await statuses(r.def.name))).toEqual(["A", "B"]);
    // A's slot frees while B's first still runs: A's next, not B's (B holds its share).
    r.release(a[0]!);
    await waitFor(async () => r.started.length === 3, 20_000, "a third to start");
    expect(r.started[2]).toMatchObject({ label: "A", n: a[1] });
    expect(running(await statuses(r.def.name))).toEqual(["A", "B"]);
    // B's slot frees: B's second.
    r.release(b[0]!);
    await waitFor(async () => r.started.length === 4, 20_000, "a fourth to start");
    expect(r.started[3]).toMatchObject({ label: "B", n: b[1] });
    // B has nothing left waiting: A alone has work, and may use the slot B frees.
    r.release(b[1]!);
    await waitFor(async () => r.started.length === 5, 20_000, "a fifth to start");
    expect(running(await statuses(r.def.name))).toEqual(["A", "A"]);
    for (const n of a) r.release(n);
    await waitFor(async () => (await statuses(r.def.name)).every((row) => row.status === "completed"), 20_000, "all to complete");
    expect(r.labels().filter((label) => label === "A")).toHaveLength(4);
  });

  it("lets a project alone fill every slot", async () => {
    const r = recorder({ gated: true });
    const a = await queue(r.def.name, A, "A", 5);
    workers.push(startTestWorker({ definitions: [r.def as never], concurrency: 3 }));
    await waitFor(async () => r.started.length === 3, 20_000, "three to start");
    expect(running(await statuses(r.def.name))).toEqual(["A", "A", "A"]);
    for (const n of a) r.release(n);
    await waitFor(async () => r.started.length === 5, 20_000, "all five to start");
  });

  it("honours MEDIABIT_PROJECT_CONCURRENCY (projectConcurrency) as the share", async () => {
    const r = recorder({ gated: true });
    const a = await queue(r.def.name, A, "A", 4);
    const b = await queue(r.def.name, B, "B", 4);
    workers.push(startTestWorker({ definitions: [r.def as never], concurrency: 4, projectConcurrency: 3 }));
    await waitFor(async () => r.started.length === 4, 20_000, "four to start");
    // Round by round: A1 and B1 (turn 1), then A2 and B2 (turn 2); three each would be allowed, four slots hold two each.
    expect(running(await statuses(r.def.name))).toEqual(["A", "A", "B", "B"]);
    r.release(a[0]!);
    await waitFor(async () => r.started.length === 5, 20_000, "a fifth to start");
    // A runs one, B two: A's third is turn 2, B's third turn 3, both within the share of three; A goes first.
    expect(r.started[4]).toMatchObject({ label: "A", n: a[2] });
    for (const n of [...a, ...b]) r.release(n);
    await waitFor(async () => (await statuses(r.def.name)).every((row) => row.status === "completed"), 20_000, "all to complete");
  });

  it("never runs one execution twice when several workers claim fairly at once", async () => {
    const r = recorder({ gated: false });
    await queue(r.def.name, A, "A", 30);
    await queue(r.def.name, B, "B", 30);
    for (let i = 0; i < 3; i++) workers.push(startTestWorker({ definitions: [r.def as never], concurrency: 3 }));
    await waitFor(async () => (await statuses(r.def.name)).every((row) => row.status === "completed"), 60_000, "all to complete");
    expect(r.started).toHaveLength(60);
    expect(new Set(r.started.map((s) => s.n)).size).toBe(60);
  });
});

describe("hand-over within the project's share", () => {
  async function enqueueFor(workflow: string, projectId: string, label: string) {
    const prisma = await db();
    const n = ++counter;
    return { n, enqueued: await prisma.$transaction((tx) => enqueue(tx, workflow, { label, n }, { key: `test:${randomUUID()}`, projectId })) };
  }

  it("hands over a project's work only up to its share; past it the work is queued and claimed", async () => {
    const r = recorder({ gated: true });
    // Polling once a minute: whatever starts within the test was handed over or claimed on a wake.
    const worker = startTestWorker({ definitions: [r.def as never], concurrency: 2, pollMs: 60_000 });
    workers.push(worker);
    setLocalWorker(worker);
    const prisma = await db();
    const first = await enqueueFor(r.def.name, A, "A");
    expect(await prisma.execution.findUniqueOrThrow({ where: { id: first.enqueued.executionId } })).toMatchObject({ status: "running", leaseOwner: worker.id });
    await dispatch([first.enqueued]);
    await waitFor(async () => r.started.length === 1, 10_000, "the first to start");
    // A holds its share (one of two slots): its next is written queued, not leased to this worker.
    expect(worker.offer(A)).toBeUndefined();
    expect(worker.offer(B)).toBeDefined();
    const second = await enqueueFor(r.def.name, A, "A");
    expect(await prisma.execution.findUniqueOrThrow({ where: { id: second.enqueued.executionId } })).toMatchObject({ status: "queued", leaseOwner: null, attempt: 0 });
    // The wake after commit claims it: A is alone, so it may use the second slot.
    await dispatch([second.enqueued]);
    await waitFor(async () => r.started.length === 2, 10_000, "the second to start");
    expect(r.labels()).toEqual(["A", "A"]);
    for (const item of [first, second]) r.release(item.n);
    await waitFor(async () => worker.active() === 0, 10_000, "both to end");
    // Another project is handed over at once while A runs its share.
    const third = await enqueueFor(r.def.name, A, "A");
    await dispatch([third.enqueued]);
    await waitFor(async () => r.started.length === 3, 10_000, "the third to start");
    const other = await enqueueFor(r.def.name, B, "B");
    expect(await prisma.execution.findUniqueOrThrow({ where: { id: other.enqueued.executionId } })).toMatchObject({ status: "running", leaseOwner: worker.id });
    await dispatch([other.enqueued]);
    await waitFor(async () => r.started.length === 4, 10_000, "B to start");
    r.release(third.n);
    r.release(other.n);
  });

  it("puts a handed-over execution back when its project reached its share meanwhile; the freed slot goes to the other project", async () => {
    const r = recorder({ gated: true });
    const worker = startTestWorker({ definitions: [r.def as never], concurrency: 2, pollMs: 60_000 });
    workers.push(worker);
    setLocalWorker(worker);
    // Both were offered a slot while A ran nothing here; meanwhile B's work arrived in the queue (another process).
    const one = await enqueueFor(r.def.name, A, "A");
    const two = await enqueueFor(r.def.name, A, "A");
    const [b] = await queue(r.def.name, B, "B", 1);
    const prisma = await db();
    expect(await prisma.execution.findUniqueOrThrow({ where: { id: two.enqueued.executionId } })).toMatchObject({ status: "running" });
    await dispatch([one.enqueued]);
    // Adopting the second would pass A's share (one of two slots) while B waits: back to the queue, and B gets the slot.
    await dispatch([two.enqueued]);
    await waitFor(async () => r.started.length === 2, 10_000, "two to start");
    expect(r.labels()).toEqual(["A", "B"]);
    expect(await prisma.execution.findUniqueOrThrow({ where: { id: two.enqueued.executionId } })).toMatchObject({ status: "queued", attempt: 0, leaseOwner: null });
    // A's slot frees: its second runs, as its first attempt.
    r.release(one.n);
    await waitFor(async () => r.started.length === 3, 10_000, "A's second to start");
    expect(r.started[2]).toMatchObject({ label: "A", n: two.n });
    expect(await prisma.execution.findUniqueOrThrow({ where: { id: two.enqueued.executionId } })).toMatchObject({ status: "running", attempt: 1 });
    r.release(two.n);
    r.release(b!);
  });
});
