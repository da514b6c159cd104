// Head starts: work an execution begins while the transaction that enqueues it is still open, when this process's
// worker will run it at once (`Worker.offer`). The execution takes it over by its key (`Worker.takeHeadStart`); one
// nobody takes (the transaction rolled back, the hand-over found no slot, the execution ended without it, or its time
// ran out) is disposed of. At most HEAD_START_LIMIT are outstanding per worker.
import { HEAD_START_LIMIT, HEAD_START_UNCLAIMED_MS } from "@/lib/engine/settings";

/** Work begun early; `dispose` stops it if it still runs and cleans up after it (never awaited by the worker). */
export type HeadStartRun = { dispose(): Promise<void> };

/** What an enqueue offers to begin early: `begin` runs only if the worker accepts. */
export type HeadStart = { begin: () => HeadStartRun; unclaimedMs?: number };

export type HeadStartCounts = { started: number; taken: number; discarded: number };

// Process-wide, on globalThis: Next.js may load this module once per bundle, and diagnostics read one set.
const registry = globalThis as unknown as { __mediabitHeadStartCounts?: HeadStartCounts };
const counts = (registry.__mediabitHeadStartCounts ??= { started: 0, taken: 0, discarded: 0 });

/** How many head starts this process has begun, handed to an execution and thrown away (diagnostics and tests). */
export function headStartCounts(): HeadStartCounts {
  return { ...counts };
}

/** One worker's outstanding head starts, by execution key. */
export function headStartRegistry(log: (line: string) => void) {
  const held = new Map<string, { run: HeadStartRun; timer: NodeJS.Timeout }>();

  function discard(key: string): void {
    const entry = held.get(key);
    if (!entry) return;
    held.delete(key);
    clearTimeout(entry.timer);
    counts.discarded++;
    // Nobody awaits a dropped head start: what cannot be cleaned up is left to the scratch sweep, and said.
    entry.run.dispose().catch((error: unknown) => log(`head start of ${key}: cleaning up failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  return {
    /** Begins it unless the limit is reached; returns whether it did. */
    begin(key: string, headStart: HeadStart): boolean {
      if (held.size >= HEAD_START_LIMIT || held.has(key)) return false;
      const timer = setTimeout(() => discard(key), headStart.unclaimedMs ?? HEAD_START_UNCLAIMED_MS);
      timer.unref();
      held.set(key, { run: headStart.begin(), timer });
      counts.started++;
      return true;
    },
    /** Hands it over if `fits` says it was begun for what the taker is about to do; drops it otherwise. */
    take(key: string, fits: (run: HeadStartRun) => boolean = () => true): HeadStartRun | undefined {
      const entry = held.get(key);
      if (!entry) return undefined;
      if (!fits(entry.run)) {
        discard(key);
        return undefined;
      }
      held.delete(key);
      clearTimeout(entry.timer);
      counts.taken++;
      return entry.run;
    },
    discard,
  };
}
