// The settings page's Domains section, loaded in one call before rendering.
import { headers } from "next/headers";
import { listProjectDomains } from "@/lib/domains/domains";
import { configuredDomainTarget, domainTarget } from "@/lib/domains/target";
import { toDomainView, type DomainView } from "@/lib/domains/view";
import type { ProjectScope } from "@/lib/keys/keys";

export type DomainsPanel = { domains: DomainView[]; target: string; isTargetConfigured: boolean };

export async function loadDomainsPanel(scope: ProjectScope): Promise<DomainsPanel> {
  const domains = await listProjectDomains(scope);
  return { domains: domains.map(toDomainView), target: domainTarget(await headers()), isTargetConfigured: configuredDomainTarget() !== null };
}
