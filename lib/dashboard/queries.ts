// Whole lists for dashboard pages, read through the same services the API uses.
import { listConnections } from "@/lib/connections/connections";
import type { Connection } from "@/lib/db/generated/client";
import type { ProjectScope } from "@/lib/keys/keys";

const PAGE_SIZE = 100;

export async function listAllConnections(scope: ProjectScope): Promise<Connection[]> {
  const all: Connection[] = [];
  // Numbered pages rather than cursors: the dashboard shows everything at once.
  for (let page = 1; ; page++) {
    const { items, page: info } = await listConnections(scope, { page, limit: PAGE_SIZE, order: "asc" }, "pages");
    all.push(...items);
    if (!info.hasMore) return all;
  }
}
