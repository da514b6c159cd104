// A short-lived, in-process memo of API keys that authenticated, so back-to-back requests skip the key lookup.
// This process forgets every entry whenever it changes a key or a project; another process's change reaches it
// within KEY_CACHE_TTL_MS at most (the bound a revocation or a project's new API version takes to apply there).

/** How long a verified key is believed without asking the database again. */
export const KEY_CACHE_TTL_MS = 2_000;
// Enough for every key a busy server sees in a TTL; past it the oldest entry goes first.
const MAX_ENTRIES = 10_000;

export type CachedKey<T> = { value: T; lastUsedAt: Date | null };

type Entry = { cached: CachedKey<unknown>; expiresAt: number };

// On globalThis: Next.js may load this module once per server layer (route handlers, server actions), and a change
// made in one must clear what the other holds. `generation` is bumped on every forget: a lookup that began before a
// change must not store what it read.
type State = { entries: Map<string, Entry>; generation: number };
const globalForKeys = globalThis as unknown as { __mediabitKeyCache?: State };
const state = (globalForKeys.__mediabitKeyCache ??= { entries: new Map(), generation: 0 });
const entries = state.entries;

/** The cache's current generation, to pass to `rememberKey` once a lookup that started now has finished. */
export function keyCacheGeneration(): number {
  return state.generation;
}

export function recallKey<T>(hash: string, now = Date.now()): CachedKey<T> | undefined {
  const entry = entries.get(hash);
  if (!entry) return undefined;
  if (entry.expiresAt <= now) {
    entries.delete(hash);
    return undefined;
  }
  return entry.cached as CachedKey<T>;
}

/** Stores an active key read from the database, unless a key or project changed since the read began. */
export function rememberKey<T>(hash: string, cached: CachedKey<T>, readGeneration: number, now = Date.now()): void {
  if (readGeneration !== state.generation) return;
  if (entries.size >= MAX_ENTRIES && !entries.has(hash)) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
  entries.delete(hash);
  entries.set(hash, { cached, expiresAt: now + KEY_CACHE_TTL_MS });
}

/** After any change to a key's status or to a project (API version, alias, deletion): ask the database again. */
export function forgetCachedKeys(): void {
  state.generation++;
  entries.clear();
}
