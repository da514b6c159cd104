// Tasks: one unit of media work (ingest, probe, export, transforms), run by the durable engine.
import { AppError, notFound } from "@/lib/api/errors";
import { parseMetadata } from "@/lib/api/metadata";
import { paginate, type PageMode } from "@/lib/api/pagination";
import { getConnectionOrThrow, resolveConnection } from "@/lib/connections/connections";
import { db } from "@/lib/db/client";
import { Prisma, type File, type Task } from "@/lib/db/generated/client";
import { dispatch, enqueue, requestCancel, type Enqueued } from "@/lib/engine/engine";
import type { Tx } from "@/lib/engine/types";
import { createPendingFile } from "@/lib/files/files";
import { transformHeadStart } from "@/lib/files/transform";
import { canonicalId, newId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";
import { taskExecutionKey } from "@/lib/tasks/execution-key";
import { TRANSFORM_OUTPUT_KIND, isTransformKind } from "@/lib/tasks/kinds";
import type { TCanonicalTask, TDestination, TListTasks, TSource } from "@/lib/tasks/schemas";
import { TERMINAL, isTerminal, parseStatusFilter } from "@/lib/tasks/status";
import { listFfmpegEncoders } from "@/lib/media/ffmpeg";
import { assertOptionsEncodable, parseMediaOptions } from "@/lib/media/kinds";
import { kindFromFileName } from "@/lib/media/mime";

export const TASK_WORKFLOW = "task.run";

/** What the engine needs to know about a task's input, stored on the row. */
export type TTaskInput = { source?: TSource; requested_kind: string };

/** Whether a task with this source pulls a URL or s3:// object into storage before its work. */
export function fetchesSource(source: TSource | undefined): boolean {
  return source?.type === "url" || source?.type === "s3";
}

export type TaskLinks = { runId?: string; jobId?: string; parentId?: string; position?: number; createdBy?: string | null; taskId?: string };

async function resolveSourceConnections(scope: ProjectScope, source: TSource | undefined): Promise<TSource | undefined> {
  if (source?.type !== "s3") return source;
  const connection = await resolveConnection(scope, source.connectionId);
  return { ...source, connectionId: connection.id };
}

async function resolveDestination(scope: ProjectScope, destination: TDestination | undefined): Promise<TDestination | undefined> {
  if (!destination) return undefined;
  const connection = await resolveConnection(scope, destination.connectionId);
  return { ...destination, connectionId: connection.id };
}

async function sourceFile(scope: ProjectScope, source: TSource | undefined) {
  if (source?.type !== "file" && source?.type !== "media") return undefined;
  const prisma = await db();
  const file =
    source.type === "file"
      ? await prisma.file.findFirst({ where: { id: canonicalId(source.fileId), projectId: scope.projectId } })
      : await prisma.file.findFirst({
          where: { mediaId: source.mediaId, projectId: scope.projectId, status: "ready" },
          orderBy: [{ original: "desc" }, { createdAt: "asc" }],
        });
  if (!file) {
    throw source.type === "file" ? notFound("file_not_found", "file", source.fileId) : notFound("media_not_found", "media item with a ready file", source.mediaId);
  }
  if (file.status !== "ready") throw new AppError("conflict", `File ${file.id} is ${file.status}; only ready files can be processed.`);
  return file;
}

/** Checks everything that can be checked before any row exists, so a bad request changes nothing. */
export async function prepareTask(scope: ProjectScope, canonical: TCanonicalTask): Promise<TCanonicalTask & { inputFile?: Awaited<ReturnType<typeof sourceFile>> }> {
  const needsSource = canonical.source === undefined;
  if (needsSource) {
    if (canonical.kind === "ingest") throw new AppError("url_required", "An ingest needs a source: `url` (http, https or s3://), or `options: {connection_id, bucket, key}`.", [{ field: "url", message: "required" }]);
    throw new AppError("url_required", `A ${canonical.kind} task needs an input: \`url\`, \`input\` or \`file_id\`.`, [{ field: "url", message: "required" }]);
  }
  if (canonical.kind === "export" && !canonical.destination) {
    throw new AppError("request_invalid", "An export needs a destination: `output`/`destination` as s3://bucket/key, or `options: {connection_id, bucket, key}`.", [{ field: "destination", message: "required" }]);
  }
  if (canonical.kind === "ingest" && (canonical.source?.type === "file" || canonical.source?.type === "media")) {
    throw new AppError("invalid_input", "An ingest pulls a URL into storage; this file is already stored.", [{ field: "url", message: "expected a URL" }]);
  }
  if (isTransformKind(canonical.kind)) {
    canonical.options = parseMediaOptions(canonical.kind, canonical.options) as Record<string, unknown>;
    assertOptionsEncodable(canonical.kind, canonical.options, await listFfmpegEncoders());
  } else if (Object.keys(canonical.options).length > 0) {
    // Ingest, probe and export keep their remaining options as given: the metadata rules bound what is stored.
    canonical.options = parseMetadata(canonical.options, "options");
  }
  const source = canonical.source?.type === "parent" ? canonical.source : await resolveSourceConnections(scope, canonical.source);
  const destination = await resolveDestination(scope, canonical.destination);
  if (destination?.connectionId) await getConnectionOrThrow(scope, destination.connectionId);
  const inputFile = await sourceFile(scope, source);
  if (canonical.mediaId) {
    const prisma = await db();
    const media = await prisma.media.findFirst({ where: { id: canonicalId(canonical.mediaId), projectId: scope.projectId, deletedAt: null } });
    if (!media) throw notFound("media_not_found", "media item", canonical.mediaId);
    canonical.mediaId = media.id;
  }
  return { ...canonical, source, destination, inputFile };
}

/** Creates the task row, its media/file placeholders and its execution in one transaction. */
export async function insertTask(
  tx: Tx,
  scope: ProjectScope,
  prepared: Awaited<ReturnType<typeof prepareTask>>,
  links: TaskLinks = {},
): Promise<{ task: Task; enqueued?: Enqueued; files: File[] }> {
  const taskId = links.taskId ?? newId("task");
  const files: File[] = prepared.inputFile ? [prepared.inputFile] : [];
  const createdBy = links.createdBy ?? null;
  let mediaId = prepared.inputFile?.mediaId ?? prepared.mediaId;
  let inputFileId = prepared.inputFile?.id;
  let outputFileId: string | undefined;

  if (fetchesSource(prepared.source) && prepared.kind !== "probe") {
    if (!mediaId) {
      mediaId = newId("med");
      await tx.media.create({ data: { id: mediaId, projectId: scope.projectId, createdBy: taskId, metadata: prepared.kind === "ingest" ? (prepared.metadata as Prisma.InputJsonValue) : {} } });
    }
    const ingested = await createPendingFile(tx, {
      id: newId("file"),
      projectId: scope.projectId,
      mediaId,
      folder: prepared.kind === "ingest" ? prepared.folder : undefined,
      filename: prepared.kind === "ingest" ? prepared.filename : undefined,
      ref: prepared.kind === "ingest" ? (prepared.ref ?? "original") : "original",
      metadata: prepared.kind === "ingest" ? prepared.metadata : {},
      // A first guess from the name, for strict clients reading it mid-ingest; probing decides.
      kind: kindFromFileName(prepared.source?.type === "url" ? new URL(prepared.source.url).pathname : prepared.source?.type === "s3" ? prepared.source.key : ""),
      original: true,
      createdBy: taskId,
    });
    files.push(ingested);
    if (prepared.kind === "ingest") outputFileId = ingested.id;
    else inputFileId = ingested.id;
  }
  if (isTransformKind(prepared.kind)) {
    if (!mediaId && prepared.source?.type !== "parent") throw new Error("transform without a media item");
    if (mediaId) {
      const output = await createPendingFile(tx, {
        id: newId("file"),
        projectId: scope.projectId,
        mediaId,
        folder: prepared.folder,
        filename: prepared.filename,
        ref: prepared.ref ?? null,
        metadata: prepared.metadata,
        object: prepared.kind === "thumbnails" ? "track" : "source",
        kind: TRANSFORM_OUTPUT_KIND[prepared.kind],
        createdBy: taskId,
      });
      outputFileId = output.id;
      files.push(output);
    }
  }

  const input: TTaskInput = { source: prepared.source, requested_kind: prepared.requestedKind };
  const task = await tx.task.create({
    data: {
      id: taskId,
      projectId: scope.projectId,
      kind: prepared.kind,
      status: links.parentId || links.jobId ? "waiting" : "queued",
      input: input as Prisma.InputJsonValue,
      options: prepared.options as Prisma.InputJsonValue,
      destination: prepared.destination ? (prepared.destination as Prisma.InputJsonValue) : Prisma.JsonNull,
      inputFileId,
      outputFileId,
      mediaId,
      ref: prepared.ref,
      metadata: prepared.metadata as Prisma.InputJsonValue,
      webhookUrl: prepared.webhookUrl,
      createdBy,
      runId: links.runId,
      jobId: links.jobId,
      parentId: links.parentId,
      position: links.position ?? 0,
    },
  });
  // Tasks inside runs and jobs are started by their parent's workflow.
  if (links.runId || links.jobId) return { task, files };
  // A transform of a stored file may start while this transaction is still open: the worker decides (Worker.offer).
  const output = files.find((file) => file.id === outputFileId);
  const headStart =
    prepared.inputFile && output && isTransformKind(prepared.kind)
      ? transformHeadStart({ taskId, kind: prepared.kind, options: prepared.options }, { input: prepared.inputFile, output })
      : undefined;
  const enqueued = await enqueue(tx, TASK_WORKFLOW, { taskId }, { key: taskExecutionKey(taskId), projectId: scope.projectId, headStart });
  return { task, enqueued, files };
}

/** The new task, with the file rows it refers to (its input and placeholders), so the answer needs no second read. */
type CreatedTask = { task: Task; files: File[] };

export async function createTask(scope: ProjectScope, request: TCanonicalTask, options: { createdBy?: string } = {}): Promise<CreatedTask> {
  const prepared = await prepareTask(scope, request);
  const prisma = await db();
  const { task, enqueued, files } = await prisma.$transaction((tx) => insertTask(tx, scope, prepared, { createdBy: options.createdBy }));
  await dispatch(enqueued ? [enqueued] : []);
  return { task, files };
}

export async function getTaskOrThrow(scope: ProjectScope, id: string): Promise<Task> {
  const prisma = await db();
  const task = await prisma.task.findFirst({ where: { id: canonicalId(id), projectId: scope.projectId } });
  if (!task) throw notFound("task_not_found", "task", id);
  return task;
}

export async function listTasks(scope: ProjectScope, query: TListTasks, mode: PageMode) {
  const prisma = await db();
  const where: Prisma.TaskWhereInput = {
    projectId: scope.projectId,
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.status ? { status: { in: parseStatusFilter(query.status) } } : {}),
    ...(query.run_id ? { runId: query.run_id } : {}),
    ...(query.job_id ? { jobId: query.job_id } : {}),
    ...(query.created_by ? { createdBy: query.created_by } : {}),
  };
  return paginate({
    query,
    mode,
    count: () => prisma.task.count({ where }),
    fetch: ({ where: cursor, orderBy, skip, take }) => prisma.task.findMany({ where: { ...where, ...cursor }, orderBy, skip, take }),
    findCursor: (id) => prisma.task.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
}

/** Stops the work: queued tasks end at once, running ones when their worker notices (ffmpeg is killed). */
const nothingToCancel = (task: Task) => new AppError("conflict", `Task ${task.id} already ${task.status}; there is nothing to cancel.`);

/**
 * Cancels a task that has not finished: a conditional update (like completeTask's), so a task that succeeds
 * between our read and our write keeps its result and the caller hears 409. `afterRead` lets tests hit that window.
 */
export async function cancelTask(scope: ProjectScope, id: string, options: { afterRead?: () => Promise<void> } = {}): Promise<Task> {
  const task = await getTaskOrThrow(scope, id);
  if (isTerminal(task.status)) throw nothingToCancel(task);
  await options.afterRead?.();
  const prisma = await db();
  const { count } = await prisma.task.updateMany({
    where: { id: task.id, status: { notIn: [...TERMINAL] } },
    data: { status: "cancelled", finishedAt: new Date(), error: "Cancelled by request." },
  });
  if (count === 0) throw nothingToCancel(await getTaskOrThrow(scope, task.id));
  await requestCancel(taskExecutionKey(task.id));
  return getTaskOrThrow(scope, task.id);
}
