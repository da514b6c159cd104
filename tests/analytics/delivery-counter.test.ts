// The delivery counter: counts merge per project, media item and hour in memory; a flush writes them once, on a timer
// or when asked; a failed write keeps them for the next flush; the upsert adds onto what the table holds.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDeliveryCounter, writeDeliveryStats, type DeliveryStatRow } from "@/lib/analytics/delivery-counter";
import { db } from "@/lib/db/client";
import { createTestProject } from "@/tests/helpers/api";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 8, 10, 15);
const a = { projectId: "prj_a", mediaId: "med_1" };
const b = { projectId: "prj_a", mediaId: "med_2" };

function recorder() {
  const batches: DeliveryStatRow[][] = [];
  return { batches, write: async (rows: DeliveryStatRow[]) => void batches.push(rows.map((row) => ({ ...row }))) };
}

const byKey = (rows: DeliveryStatRow[]) => [...rows].sort((x, y) => `${x.mediaId}${x.hour.getTime()}`.localeCompare(`${y.mediaId}${y.hour.getTime()}`));

afterEach(() => vi.useRealTimers());

describe("createDeliveryCounter", () => {
  it("merges counts per project, media item and hour and writes them in one batch", async () => {
    let now = T0;
    const { batches, write } = recorder();
    const counter = createDeliveryCounter({ write, now: () => now });
    counter.countRequest(a);
    counter.countBytes(a, 1000);
    counter.countBytes(a, 24);
    counter.countRequest(a);
    counter.countRequest(b);
    now = T0 + HOUR;
    counter.countRequest(a);
    counter.countBytes(a, 5);

    expect(await counter.flush()).toBe(3);
    expect(batches).toHaveLength(1);
    const hour = new Date(Date.UTC(2026, 11, 8, 10));
    const next = new Date(Date.UTC(2026, 11, 8, 11));
    expect(byKey(batches[0]!)).toEqual([
      { ...a, hour, requests: 2, bytes: 1024 },
      { ...a, hour: next, requests: 1, bytes: 5 },
      { ...b, hour, requests: 1, bytes: 0 },
    ]);
    expect(counter.pending()).toEqual([]);
    // Nothing new: nothing written.
    expect(await counter.flush()).toBe(0);
    expect(batches).toHaveLength(1);
    await counter.stop();
  });

  it("flushes on its interval once something was counted", async () => {
    vi.useFakeTimers({ now: T0 });
    const { batches, write } = recorder();
    const counter = createDeliveryCounter({ write, intervalMs: 5_000 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(batches).toHaveLength(0);
    counter.countRequest(a);
    counter.countBytes(a, 10);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[{ ...a, hour: new Date(Date.UTC(2026, 11, 8, 10)), requests: 1, bytes: 10 }]]);
    counter.countRequest(b);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toEqual([{ ...b, hour: new Date(Date.UTC(2026, 11, 8, 10)), requests: 1, bytes: 0 }]);
    await counter.stop();
  });

  it("keeps the counts of a failed write and adds them to the next flush", async () => {
    const written: DeliveryStatRow[][] = [];
    let failing = true;
    const counter = createDeliveryCounter({
      now: () => T0,
      write: async (rows) => {
        if (failing) throw new Error("database unavailable");
        written.push(rows);
      },
    });
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    counter.countRequest(a);
    counter.countBytes(a, 100);
    expect(await counter.flush()).toBe(0);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("kept for the next flush"));
    errors.mockRestore();
    expect(counter.pending()).toEqual([{ ...a, hour: new Date(Date.UTC(2026, 11, 8, 10)), requests: 1, bytes: 100 }]);

    counter.countRequest(a);
    counter.countBytes(a, 50);
    failing = false;
    expect(await counter.flush()).toBe(1);
    expect(written).toEqual([[{ ...a, hour: new Date(Date.UTC(2026, 11, 8, 10)), requests: 2, bytes: 150 }]]);
    expect(counter.pending()).toEqual([]);
    await counter.stop();
  });

  it("counts arriving during a write go to the next flush, and a second flush waits for the first", async () => {
    const batches: DeliveryStatRow[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const counter = createDeliveryCounter({
      now: () => T0,
      write: async (rows) => {
        batches.push(rows.map((row) => ({ ...row })));
        if (batches.length === 1) await gate;
      },
    });
    counter.countRequest(a);
    const first = counter.flush();
    counter.countRequest(a);
    counter.countBytes(a, 7);
    const second = counter.flush();
    expect(batches).toHaveLength(1);
    release();
    expect(await first).toBe(1);
    expect(await second).toBe(1);
    expect(batches.map((rows) => rows.map((row) => [row.requests, row.bytes]))).toEqual([[[1, 0]], [[1, 7]]]);
    await counter.stop();
  });

  it("stop writes what is pending", async () => {
    const { batches, write } = recorder();
    const counter = createDeliveryCounter({ write, now: () => T0 });
    counter.countRequest(b);
    await counter.stop();
    expect(batches).toHaveLength(1);
  });
});

describe("writeDeliveryStats", () => {
  it("adds onto the stored row with one upsert and drops rows of a project that no longer exists", async () => {
    const { projectId } = await createTestProject();
    const hour = new Date(Date.UTC(2026, 11, 8, 10));
    const prisma = await db();
    await writeDeliveryStats([{ projectId, mediaId: "med_x", hour, requests: 2, bytes: 300 }]);
    await writeDeliveryStats([
      { projectId, mediaId: "med_x", hour, requests: 1, bytes: 12 },
      { projectId, mediaId: "", hour, requests: 5, bytes: 0 },
      { projectId: "prj_gone", mediaId: "med_x", hour, requests: 9, bytes: 9 },
    ]);
    const rows = await prisma.deliveryStat.findMany({ where: { projectId }, orderBy: { mediaId: "asc" } });
    expect(rows.map((row) => [row.mediaId, row.hour.toISOString(), Number(row.requests), Number(row.bytes)])).toEqual([
      ["", hour.toISOString(), 5, 0],
      ["med_x", hour.toISOString(), 3, 312],
    ]);
    expect(await prisma.deliveryStat.count({ where: { projectId: "prj_gone" } })).toBe(0);
  });
});
