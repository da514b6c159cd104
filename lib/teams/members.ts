// Members of an organisation and what each role may do: every member uses and creates projects, keys and
// connections; owners also manage members, delete projects and rename the organisation. An organisation always
// keeps at least one owner. Every service re-reads the caller's role in its own transaction: the UI only hides.
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { MemberRole, Prisma } from "@/lib/db/generated/client";
import type { UserProject } from "@/lib/users/users";

/** The caller acting in one of their organisations. */
export type TeamScope = { orgId: string; userId: string };

type Tx = Prisma.TransactionClient;

export type Member = { userId: string; email: string; name: string | null; role: MemberRole; joinedAt: Date };
export type Organization = { id: string; name: string; role: MemberRole };

const notMember = () => new AppError("not_found", "This organisation does not exist or you are no longer a member of it. Reload the page.");

/** The caller's role; someone outside the organisation learns nothing about it. */
export async function roleInOrg(tx: Tx, scope: TeamScope): Promise<MemberRole> {
  const membership = await tx.membership.findUnique({ where: { orgId_userId: { orgId: scope.orgId, userId: scope.userId } }, select: { role: true } });
  if (!membership) throw notMember();
  return membership.role;
}

/** `what` completes "Only owners can …". */
export async function assertOwner(tx: Tx, scope: TeamScope, what: string): Promise<void> {
  if ((await roleInOrg(tx, scope)) !== "owner") throw new AppError("owner_required", `Only owners can ${what}. Ask an owner of this organisation.`);
}

/** Serialises membership changes of one organisation, so two owners demoting each other cannot leave it with none. */
async function lockOrg(tx: Tx, orgId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${orgId} FOR UPDATE`;
}

async function ownerCount(tx: Tx, orgId: string): Promise<number> {
  return tx.membership.count({ where: { orgId, role: "owner" } });
}

export async function getOrganization(scope: TeamScope): Promise<Organization> {
  const prisma = await db();
  const membership = await prisma.membership.findUnique({
    where: { orgId_userId: { orgId: scope.orgId, userId: scope.userId } },
    select: { role: true, org: { select: { id: true, name: true } } },
  });
  if (!membership) throw notMember();
  return { id: membership.org.id, name: membership.org.name, role: membership.role };
}

/** Owners first, then by when they joined. */
export async function listMembers(scope: TeamScope): Promise<Member[]> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    await roleInOrg(tx, scope);
    const rows = await tx.membership.findMany({
      where: { orgId: scope.orgId },
      select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
      orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    });
    return rows.map((m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt }));
  });
}

async function targetMembership(tx: Tx, orgId: string, userId: string): Promise<{ role: MemberRole; email: string }> {
  const target = await tx.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, select: { role: true, user: { select: { email: true } } } });
  if (!target) throw new AppError("not_found", "This person is not a member of the organisation any more. Reload the page.");
  return { role: target.role, email: target.user.email };
}

export async function changeMemberRole(scope: TeamScope, input: { userId: string; role: MemberRole }): Promise<Member["role"]> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    await lockOrg(tx, scope.orgId);
    await assertOwner(tx, scope, "change roles");
    const target = await targetMembership(tx, scope.orgId, input.userId);
    if (target.role === input.role) return input.role;
    if (target.role === "owner" && (await ownerCount(tx, scope.orgId)) <= 1) {
      throw new AppError("conflict", `${target.email} is the last owner. Make another member an owner first, so the organisation keeps someone who can manage it.`);
    }
    await tx.membership.update({ where: { orgId_userId: { orgId: scope.orgId, userId: input.userId } }, data: { role: input.role } });
    return input.role;
  });
}

/** An owner removes someone; removing yourself is leaving. */
export async function removeMember(scope: TeamScope, input: { userId: string }): Promise<void> {
  if (input.userId === scope.userId) return leaveOrganization(scope);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await lockOrg(tx, scope.orgId);
    await assertOwner(tx, scope, "remove members");
    const target = await targetMembership(tx, scope.orgId, input.userId);
    if (target.role === "owner" && (await ownerCount(tx, scope.orgId)) <= 1) {
      throw new AppError("conflict", `${target.email} is the last owner and cannot be removed.`);
    }
    await tx.membership.delete({ where: { orgId_userId: { orgId: scope.orgId, userId: input.userId } } });
  });
}

export async function leaveOrganization(scope: TeamScope): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await lockOrg(tx, scope.orgId);
    const role = await roleInOrg(tx, scope);
    if (role === "owner" && (await ownerCount(tx, scope.orgId)) <= 1) {
      throw new AppError("conflict", "You are the last owner, so you cannot leave. Make another member an owner first.");
    }
    await tx.membership.delete({ where: { orgId_userId: { orgId: scope.orgId, userId: scope.userId } } });
  });
}

export async function renameOrganization(scope: TeamScope, input: { name: string }): Promise<Organization> {
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    await assertOwner(tx, scope, "rename the organisation");
    const org = await tx.organization.update({ where: { id: scope.orgId }, data: { name: input.name } });
    return { id: org.id, name: org.name, role: "owner" as const };
  });
}

/** An organisation of the person with its projects (possibly none). */
export type WorkspaceOrg = { id: string; name: string; role: MemberRole; projects: UserProject[] };

/** Memberships in the same order as listUserProjects(), so pickProject() picks the same project from both. */
export async function listUserOrgs(userId: string): Promise<WorkspaceOrg[]> {
  const prisma = await db();
  const memberships = await prisma.membership.findMany({
    where: { userId },
    include: { org: { include: { projects: { orderBy: { createdAt: "asc" } } } } },
    orderBy: { createdAt: "asc" },
  });
  return memberships.map((m) => ({
    id: m.org.id,
    name: m.org.name,
    role: m.role,
    projects: m.org.projects.map((p) => ({ ...p, orgName: m.org.name, role: m.role })),
  }));
}
