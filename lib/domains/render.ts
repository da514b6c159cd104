import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import type { Domain } from "@/lib/db/generated/client";

/** other-resources.md §3's proposed object; `target` is the CNAME value this server answers to. */
export function renderDomain(profile: Profile, domain: Domain, target: string): Record<string, unknown> {
  return {
    id: domain.id,
    object: "domain",
    hostname: domain.hostname,
    status: domain.status,
    dns_records: [{ type: "CNAME", name: domain.hostname, value: target }],
    verified: domain.status === "active",
    verified_at: domain.verifiedAt?.toISOString() ?? null,
    last_checked_at: domain.lastCheckedAt?.toISOString() ?? null,
    last_error: domain.lastError,
    ...renderTimes(profile, "b", { created: domain.createdAt, updated: domain.updatedAt }),
  };
}
