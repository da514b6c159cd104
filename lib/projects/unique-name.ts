// Project names are unique within an organisation (ignoring case), so the project switcher can tell them apart.
import { AppError } from "@/lib/api/errors";
import type { Prisma } from "@/lib/db/generated/client";

/** Serialises project naming per organisation: two concurrent creates of one name cannot both pass the check. */
async function lockOrganization(tx: Prisma.TransactionClient, orgId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM organizations WHERE id = ${orgId} FOR UPDATE`;
}

/** Throws a `conflict` on the `name` field when another project of the organisation already has this name. */
export async function assertProjectNameFree(tx: Prisma.TransactionClient, input: { orgId: string; name: string; exceptProjectId?: string }): Promise<void> {
  await lockOrganization(tx, input.orgId);
  const taken = await tx.project.findFirst({
    where: { orgId: input.orgId, name: { equals: input.name, mode: "insensitive" }, ...(input.exceptProjectId ? { id: { not: input.exceptProjectId } } : {}) },
    select: { name: true },
  });
  if (!taken) return;
  const message = `A project named '${taken.name}' already exists in this organisation. Choose another name.`;
  throw new AppError("conflict", message, [{ field: "name", message: "another project in this organisation has this name; choose another" }]);
}
