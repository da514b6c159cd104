// Runs (C generation): a tree of tasks; siblings in parallel, `next` after the parent succeeds.
import { z } from "zod";
import { AppError, notFound } from "@/lib/api/errors";
import { ZMetadata } from "@/lib/api/metadata";
import { ZListQuery, paginate, type PageMode } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import type { Prisma, Run, Task } from "@/lib/db/generated/client";
import { dispatch, enqueue, requestCancel } from "@/lib/engine/engine";
import { canonicalId, newId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";
import { adoptOrphans, insertTree, parseTree, prepareTree } from "@/lib/runs/tree";
import { isTerminal, parseStatusFilter } from "@/lib/tasks/status";

export const TREE_WORKFLOW = "tree.run";

export const ZCreateRun = z.looseObject({
  tasks: z.unknown().optional(),
  /** B-generation name for the same tree. */
  workflow: z.unknown().optional(),
  metadata: ZMetadata.optional(),
  /** Default input for top-level tasks that name none. */
  input: z.unknown().optional(),
  url: z.string().optional(),
});
export type TCreateRun = z.infer<typeof ZCreateRun>;

export const ZListRuns = ZListQuery.extend({ status: z.string().optional() });

export type RunWithTasks = Run & { tasks: Task[] };

export async function createRun(scope: ProjectScope, body: TCreateRun, options: { createdBy?: string } = {}): Promise<RunWithTasks> {
  const field = body.tasks !== undefined ? "tasks" : "workflow";
  const nodes = adoptOrphans(parseTree(body.tasks ?? body.workflow, field));
  const prepared = await prepareTree(scope, nodes, { source: body.input ?? body.url });
  const prisma = await db();
  const runId = newId("run");
  const enqueued = await prisma.$transaction(async (tx) => {
    await tx.run.create({
      data: { id: runId, projectId: scope.projectId, status: "queued", metadata: (body.metadata ?? {}) as Prisma.InputJsonValue, createdBy: options.createdBy ?? null },
    });
    await insertTree(tx, scope, prepared, { runId, createdBy: runId });
    return enqueue(tx, TREE_WORKFLOW, { runId }, { key: `run:${runId}`, projectId: scope.projectId });
  });
  await dispatch([enqueued]);
  return getRunOrThrow(scope, runId);
}

export async function getRunOrThrow(scope: ProjectScope, id: string): Promise<RunWithTasks> {
  const prisma = await db();
  const run = await prisma.run.findFirst({ where: { id: canonicalId(id), projectId: scope.projectId }, include: { tasks: { orderBy: { position: "asc" } } } });
  if (!run) throw notFound("run_not_found", "run", id);
  return run;
}

export async function listRuns(scope: ProjectScope, query: z.infer<typeof ZListRuns>, mode: PageMode) {
  const prisma = await db();
  const where: Prisma.RunWhereInput = { projectId: scope.projectId, ...(query.status ? { status: { in: parseStatusFilter(query.status) } } : {}) };
  return paginate({
    query,
    mode,
    count: () => prisma.run.count({ where }),
    fetch: ({ where: cursor, orderBy, skip, take }) =>
      prisma.run.findMany({ where: { ...where, ...cursor }, orderBy, skip, take, include: { tasks: { orderBy: { position: "asc" } } } }),
    findCursor: (id) => prisma.run.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
}

export async function cancelRun(scope: ProjectScope, id: string): Promise<RunWithTasks> {
  const run = await getRunOrThrow(scope, id);
  if (isTerminal(run.status)) throw new AppError("conflict", `Run ${run.id} already ${run.status}; there is nothing to cancel.`);
  await requestCancel(`run:${run.id}`);
  return getRunOrThrow(scope, run.id);
}
