// Jobs (D generation): one input through probe → import → encode → export (runs-jobs…md §1),
// built as a four-task chain on the same tree engine as runs.
import { z } from "zod";
import { AppError, notFound } from "@/lib/api/errors";
import { ZMetadata } from "@/lib/api/metadata";
import { ZListQuery, paginate, type PageMode } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import type { Job, Prisma, Task } from "@/lib/db/generated/client";
import { dispatch, enqueue, requestCancel } from "@/lib/engine/engine";
import { canonicalId, newId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";
import { TREE_WORKFLOW } from "@/lib/runs/runs";
import { insertTree, prepareTree, type TreeNode } from "@/lib/runs/tree";
import { TRANSFORM_KINDS } from "@/lib/tasks/kinds";
import { fieldText, parseDestination, parseSourceUrl } from "@/lib/tasks/schemas";
import { isTerminal, parseStatusFilter } from "@/lib/tasks/status";

const JOB_FIELDS = new Set(["input", "kind", "options", "output", "metadata", "webhook_url"]);
const CONNECTION_OPTIONS = ["connection_id", "input_connection_id", "output_connection_id"];

export const ZCreateJob = z.looseObject({
  input: z.string({ error: "input is required: an http://, https:// or s3:// URL" }).trim().min(1, "input is required"),
  kind: z.enum(TRANSFORM_KINDS, { error: `kind must be one of ${TRANSFORM_KINDS.join(", ")}` }),
  options: z.record(z.string(), z.unknown()).optional(),
  output: z.string().trim().min(1).optional(),
  metadata: ZMetadata.optional(),
  webhook_url: z.url().optional(),
});
export type TCreateJob = z.infer<typeof ZCreateJob>;

export const ZListJobs = ZListQuery.extend({ kind: z.string().optional(), status: z.string().optional(), input: z.string().optional() });

export type JobWithTasks = Job & { tasks: Task[] };

// Probe, import and export are built typed here; the encode step is the caller's own task request
// (`kind`, `options`, `metadata`), read by the one task schema like any run step.
function jobTree(body: TCreateJob): TreeNode[] {
  // Top-level keys that are not job fields are options too (`{"kind":"video","input":…,"quality":"high"}`).
  const flat = Object.fromEntries(Object.entries(body).filter(([key]) => !JOB_FIELDS.has(key)));
  const all: Record<string, unknown> = { ...flat, ...(body.options ?? {}) };
  const encodeOptions = Object.fromEntries(Object.entries(all).filter(([k]) => !CONNECTION_OPTIONS.includes(k)));
  const inputConnection = all.input_connection_id ?? all.connection_id;
  const outputConnection = all.output_connection_id ?? all.connection_id;
  const metadata = body.metadata ?? {};
  const output = body.output;
  const exportNode: TreeNode[] = output
    ? [{ path: "output", task: () => ({ kind: "export", requestedKind: "export", options: {}, metadata: {}, destination: parseDestination(output, "options.url", fieldText(outputConnection, "options.connection_id")) }), children: [] }]
    : [];
  const encode: TreeNode = { path: "options", body: { kind: body.kind, options: encodeOptions, metadata: body.metadata }, children: exportNode };
  const importNode: TreeNode = {
    path: "input",
    task: () => ({ kind: "ingest", requestedKind: "import", source: parseSourceUrl(body.input, "url", fieldText(inputConnection, "connection_id")), options: {}, metadata }),
    children: [encode],
  };
  const probeConnection = () => (inputConnection ? fieldText(inputConnection, "options.connection_id") : undefined);
  return [{ path: "input", task: () => ({ kind: "probe", requestedKind: "probe", source: parseSourceUrl(body.input, "input.url", probeConnection()), options: {}, metadata: {} }), children: [importNode] }];
}

export async function createJob(scope: ProjectScope, body: TCreateJob, options: { createdBy?: string } = {}): Promise<JobWithTasks> {
  if (!/^(https?|s3):\/\//i.test(body.input)) {
    throw new AppError("invalid_input", "input must use http://, https://, or s3:// scheme.", [{ field: "input", message: "unsupported scheme" }]);
  }
  const prepared = await prepareTree(scope, jobTree(body));
  const prisma = await db();
  const jobId = newId("job");
  const { kind, input, output, metadata } = body;
  const stored = Object.fromEntries(Object.entries({ ...Object.fromEntries(Object.entries(body).filter(([k]) => !JOB_FIELDS.has(k))), ...(body.options ?? {}) }));
  const enqueued = await prisma.$transaction(async (tx) => {
    await tx.job.create({
      data: { id: jobId, projectId: scope.projectId, kind, input, output: output ?? null, options: stored as Prisma.InputJsonValue, metadata: (metadata ?? {}) as Prisma.InputJsonValue, status: "queued", createdBy: options.createdBy ?? null },
    });
    await insertTree(tx, scope, prepared, { jobId, createdBy: jobId });
    return enqueue(tx, TREE_WORKFLOW, { jobId }, { key: `job:${jobId}`, projectId: scope.projectId });
  });
  await dispatch([enqueued]);
  return getJobOrThrow(scope, jobId);
}

const withTasks = { tasks: { orderBy: { position: "asc" as const } } } satisfies Prisma.JobInclude;

export async function getJobOrThrow(scope: ProjectScope, id: string): Promise<JobWithTasks> {
  const prisma = await db();
  const job = await prisma.job.findFirst({ where: { id: canonicalId(id), projectId: scope.projectId }, include: withTasks });
  if (!job) throw notFound("job_not_found", "job", id);
  return job;
}

export async function listJobs(scope: ProjectScope, query: z.infer<typeof ZListJobs>, mode: PageMode) {
  const prisma = await db();
  const where: Prisma.JobWhereInput = {
    projectId: scope.projectId,
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.status ? { status: { in: parseStatusFilter(query.status) } } : {}),
    ...(query.input ? { input: query.input } : {}),
  };
  return paginate({
    query,
    mode,
    count: () => prisma.job.count({ where }),
    fetch: ({ where: cursor, orderBy, skip, take }) => prisma.job.findMany({ where: { ...where, ...cursor }, orderBy, skip, take, include: withTasks }),
    findCursor: (id) => prisma.job.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
}

export async function cancelJob(scope: ProjectScope, id: string): Promise<JobWithTasks> {
  const job = await getJobOrThrow(scope, id);
  if (isTerminal(job.status)) throw new AppError("conflict", `Job ${job.id} already ${job.status}; there is nothing to cancel.`);
  await requestCancel(`job:${job.id}`);
  return getJobOrThrow(scope, job.id);
}

/** A job's `output`: the s3:// destination it exported to (the delivery URL is rendered per request otherwise). */
export async function jobOutputUrl(jobId: string): Promise<string | null> {
  const prisma = await db();
  const exported = await prisma.task.findFirst({ where: { jobId, kind: "export", status: "succeeded" } });
  return ((exported?.output as { destination?: string } | null)?.destination as string | undefined) ?? null;
}
