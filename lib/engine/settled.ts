// In-process news that an execution has finished running here, so a synchronous API waiting on it (POST /api/files)
// answers at once instead of at its next poll. Polling stays the rule: the work may run in another process.
type Listener = () => void;

// On globalThis: Next.js may load this module once per bundle (instrumentation, route handlers), and the worker
// and the waiters must share one registry.
const registry = globalThis as unknown as { __mediabitSettled?: Map<string, Set<Listener>> };
const listeners = (registry.__mediabitSettled ??= new Map<string, Set<Listener>>());

/** Called by this process's worker after an execution's run ends (its writes committed, whatever the outcome). */
export function announceSettled(key: string): void {
  const waiting = listeners.get(key);
  if (!waiting) return;
  listeners.delete(key);
  for (const listener of waiting) listener();
}

/** Resolves when this process's worker announces `key`, or after `ms`, whichever comes first. */
export function settledOrTimeout(key: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const waiting = listeners.get(key) ?? new Set<Listener>();
    listeners.set(key, waiting);
    const done = () => {
      clearTimeout(timer);
      waiting.delete(done);
      if (waiting.size === 0 && listeners.get(key) === waiting) listeners.delete(key);
      resolve();
    };
    const timer = setTimeout(done, ms);
    waiting.add(done);
  });
}
