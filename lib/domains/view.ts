// What the dashboard shows of a domain: plain JSON a client component can hold.
import type { Domain } from "@/lib/db/generated/client";

export type DomainView = {
  id: string;
  hostname: string;
  status: "pending" | "active" | "failed";
  lastError: string | null;
  lastCheckedAt: string | null;
  verifiedAt: string | null;
};

export function toDomainView(domain: Domain): DomainView {
  return {
    id: domain.id,
    hostname: domain.hostname,
    status: domain.status,
    lastError: domain.lastError,
    lastCheckedAt: domain.lastCheckedAt?.toISOString() ?? null,
    verifiedAt: domain.verifiedAt?.toISOString() ?? null,
  };
}
