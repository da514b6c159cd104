// Whole lists for dashboard pages, read through the same services the API uses.
import { BARE_VERSION, type Profile } from "@/lib/api/version";
import { listConnections } from "@/lib/connections/connections";
import type { Connection } from "@/lib/db/generated/client";
import type { ProjectScope } from "@/lib/keys/keys";

// Page-numbered listing (with totals) rather than cursors: the dashboard shows everything at once.
const PAGED: Profile = { name: "bare", version: BARE_VERSION };
const PAGE_SIZE = 100;

export async function listAllConnections(scope: ProjectScope): Promise<Connection[]> {
  const all: Connection[] = [];
  for (let page = 1; ; page++) {
    const { items, page: info } = await listConnections(scope, { page, limit: PAGE_SIZE, order: "asc" }, PAGED);
    all.push(...items);
    if (!info.hasMore) return all;
  }
}
