"use server";
// Custom domain mutations from the dashboard: the same services and hostname schema as /api/domains.
import { headers } from "next/headers";
import { z } from "zod";
import { projectAction } from "@/lib/dashboard/action";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { createDomain, deleteDomain, verifyDomain } from "@/lib/domains/domains";
import { ZHostname } from "@/lib/domains/schemas";
import { domainTarget } from "@/lib/domains/target";
import { toDomainView, type DomainView } from "@/lib/domains/view";

const ZTarget = z.object({ projectId: z.string(), domainId: z.string().max(100) });

export const addDomainAction = projectAction(
  z.object({ projectId: z.string(), hostname: ZHostname }),
  async ({ scope }, { hostname }): Promise<ActionResult<{ domain: DomainView }>> => {
    const target = domainTarget(await headers());
    return { ok: true, domain: toDomainView(await createDomain(scope, { hostname }, target)) };
  },
  { conflictField: "hostname" },
);

export const verifyDomainAction = projectAction(ZTarget, async ({ scope }, { domainId }): Promise<ActionResult<{ domain: DomainView }>> => {
  const target = domainTarget(await headers());
  return { ok: true, domain: toDomainView(await verifyDomain(scope, domainId, target)) };
});

export const deleteDomainAction = projectAction(ZTarget, async ({ scope }, { domainId }): Promise<ActionResult<{ id: string }>> => {
  const deleted = await deleteDomain(scope, domainId);
  return { ok: true, id: deleted.id };
});
