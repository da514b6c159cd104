// Host routing: which project (by delivery alias) an active custom domain serves. The whole set of active hostnames
// is held in memory and reloaded at most every few seconds, so a stream of made-up Host headers costs no queries;
// a change made in this process is seen at once, one made by another process within the reload interval.
import { db } from "@/lib/db/client";

const RELOAD_AFTER_MS = 15_000;

type Snapshot = { loadedAt: number; aliases: Map<string, string> };

let snapshot: Snapshot | null = null;
let loading: Promise<Snapshot> | null = null;

async function load(): Promise<Snapshot> {
  const prisma = await db();
  const rows = await prisma.domain.findMany({ where: { status: "active" }, select: { hostname: true, project: { select: { alias: true } } } });
  return { loadedAt: Date.now(), aliases: new Map(rows.map((row) => [row.hostname, row.project.alias])) };
}

async function activeDomains(): Promise<Snapshot> {
  if (snapshot && Date.now() - snapshot.loadedAt < RELOAD_AFTER_MS) return snapshot;
  if (!loading) {
    const pending = load();
    loading = pending;
    pending
      .then((loaded) => {
        // A change while this load ran cleared `loading`: that newer state wins, this result is dropped.
        if (loading === pending) snapshot = loaded;
      })
      .catch(() => undefined)
      .finally(() => {
        if (loading === pending) loading = null;
      });
  }
  return loading;
}

/** The delivery alias of the project whose active domain `hostname` is, or null. */
export async function aliasForHost(hostname: string): Promise<string | null> {
  return (await activeDomains()).aliases.get(hostname) ?? null;
}

/** A domain became active, stopped being active or went away: the next request reloads the set. */
export function forgetActiveDomains(): void {
  snapshot = null;
  loading = null;
}
