// Custom delivery domains (other-resources.md §3): a hostname whose CNAME points at this server serves the project's files.
import { AppError, notFound } from "@/lib/api/errors";
import { paginate, type PageMode, type TListQuery } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import { Prisma, type Domain } from "@/lib/db/generated/client";
import { cnameResolver, type CnameResolver } from "@/lib/domains/resolver";
import { forgetActiveDomains } from "@/lib/domains/routing";
import type { TCreateDomain } from "@/lib/domains/schemas";
import { configuredDomainTarget, reservedHostnames } from "@/lib/domains/target";
import { checkCname } from "@/lib/domains/verify";
import { canonicalId, newId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";

function takenError(hostname: string): AppError {
  return new AppError("conflict", `${hostname} is already added to a project on this server. Remove it there first, or use another hostname.`, [
    { field: "hostname", message: "already added to a project on this server: remove it there first, or use another hostname" },
  ]);
}

/** `target`: the CNAME value the domain must point at (domainTarget of the request). */
export async function createDomain(scope: ProjectScope, input: TCreateDomain, target: string): Promise<Domain> {
  if (reservedHostnames(target).includes(input.hostname)) {
    throw new AppError("invalid_input", `${input.hostname} is this server's own hostname (it serves the dashboard and the API): use another hostname.`, [
      { field: "hostname", message: "this is the server's own hostname" },
    ]);
  }
  const prisma = await db();
  try {
    return await prisma.domain.create({ data: { id: newId("dom"), projectId: scope.projectId, hostname: input.hostname } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw takenError(input.hostname);
    throw error;
  }
}

export async function listDomains(scope: ProjectScope, query: TListQuery, mode: PageMode) {
  const prisma = await db();
  const where = { projectId: scope.projectId };
  return paginate({
    query,
    mode,
    count: () => prisma.domain.count({ where }),
    fetch: ({ where: cursor, orderBy, skip, take }) => prisma.domain.findMany({ where: { ...where, ...cursor }, orderBy, skip, take }),
    findCursor: (id) => prisma.domain.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
}

export async function getDomainOrThrow(scope: ProjectScope, id: string): Promise<Domain> {
  const prisma = await db();
  const domain = await prisma.domain.findFirst({ where: { id: canonicalId(id), projectId: scope.projectId } });
  if (!domain) throw notFound("domain_not_found", "domain", id);
  return domain;
}

export async function deleteDomain(scope: ProjectScope, id: string): Promise<Domain> {
  const domain = await getDomainOrThrow(scope, id);
  const prisma = await db();
  const { count } = await prisma.domain.deleteMany({ where: { id: domain.id, projectId: scope.projectId } });
  if (count === 0) throw notFound("domain_not_found", "domain", id);
  forgetActiveDomains();
  return domain;
}

/** The domain after the check; null when it was deleted while its lookup ran (it stays deleted). */
async function recordCheck(domain: Domain, target: string, resolve: CnameResolver): Promise<Domain | null> {
  const verdict = await checkCname(resolve, domain.hostname, target);
  const now = new Date();
  const prisma = await db();
  const data = verdict.ok
    ? { status: "active" as const, verifiedAt: domain.verifiedAt ?? now, lastCheckedAt: now, lastError: null }
    : { status: "failed" as const, lastCheckedAt: now, lastError: verdict.message };
  const updated = await prisma.domain.updateManyAndReturn({ where: { id: domain.id }, data });
  if (domain.status === "active" || verdict.ok) forgetActiveDomains();
  return updated[0] ?? null;
}

/** Looks the CNAME up now: `active` when it points at `target`, else `failed` with the reason in words. */
export async function verifyDomain(scope: ProjectScope, id: string, target: string, resolve: CnameResolver = cnameResolver()): Promise<Domain> {
  const domain = await getDomainOrThrow(scope, id);
  const checked = await recordCheck(domain, target, resolve);
  if (!checked) throw notFound("domain_not_found", "domain", id);
  return checked;
}

const RECHECK_AFTER_MS = 5 * 60 * 1000;

type RecheckOptions = { now?: Date; batch?: number; resolve?: CnameResolver; /** Only this project's domains. */ scope?: ProjectScope };

/** Maintenance: re-checks a batch of domains not yet active, each at most every few minutes; needs a configured target. */
export async function recheckPendingDomains({ now = new Date(), batch = 20, resolve = cnameResolver(), scope }: RecheckOptions = {}): Promise<number> {
  const target = configuredDomainTarget();
  if (!target) return 0;
  const prisma = await db();
  const due = await prisma.domain.findMany({
    where: { ...(scope ? { projectId: scope.projectId } : {}), status: { in: ["pending", "failed"] }, OR: [{ lastCheckedAt: null }, { lastCheckedAt: { lt: new Date(now.getTime() - RECHECK_AFTER_MS) } }] },
    orderBy: { lastCheckedAt: { sort: "asc", nulls: "first" } },
    take: batch,
  });
  for (const domain of due) await recordCheck(domain, target, resolve);
  return due.length;
}

/** The dashboard's list: a project's domains, oldest first (a project has a handful). */
export async function listProjectDomains(scope: ProjectScope, limit = 100): Promise<Domain[]> {
  const prisma = await db();
  return prisma.domain.findMany({ where: { projectId: scope.projectId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit });
}
