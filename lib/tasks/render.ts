// A task per profile: B objects (`pending`/`completed`, file summaries, ISO `created`) for the
// enveloped and bare profiles; C/D objects (`succeeded`, Unix-second timestamps) for `latest`.
// The one owner of task objects: `loadTaskRows` reads what they show for any number of tasks in two
// queries, `renderTask` turns a row into an object without I/O, `presentTasks` does both.
import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import { db } from "@/lib/db/client";
import type { File, Task } from "@/lib/db/generated/client";
import { renderFile, type RenderOrigin } from "@/lib/files/render";
import { redactCredentials } from "@/lib/net/redact";
import { renderTaskStatus } from "@/lib/tasks/status";
import type { TTaskInput } from "@/lib/tasks/tasks";

export type TaskFiles = { input?: File | null; output?: File | null };

/** What task objects show besides their own row: their input and output files, and where the project's files are served. */
export type TaskRows = { files: ReadonlyMap<string, File>; at: RenderOrigin };

/** Rows the caller already holds (a task it has just created) are not read again. */
export type KnownRows = { files: File[]; alias: string };

/** Every file the tasks point at, and the project's alias: two queries however many tasks (all of one project). */
export async function loadTaskRows(
  tasks: Task[],
  origin: string,
  options: { known?: KnownRows; projectId?: string; shownOnly?: boolean } = {},
): Promise<TaskRows> {
  const { known } = options;
  const held = new Set(known?.files.map((f) => f.id));
  // `shownOnly`: renderTask shows an output file only once its task succeeded (a polled task mostly has not).
  const wanted = tasks.flatMap((t) => [t.inputFileId, !options.shownOnly || t.status === "succeeded" ? t.outputFileId : null]);
  const ids = [...new Set(wanted.filter((id): id is string => Boolean(id) && !held.has(id!)))];
  const projectId = options.projectId ?? tasks[0]?.projectId;
  const prisma = await db();
  const [loaded, alias] = await Promise.all([
    ids.length > 0 ? prisma.file.findMany({ where: { id: { in: ids } } }) : [],
    known
      ? known.alias
      : projectId
        ? prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { alias: true } }).then((p) => p.alias)
        : "",
  ]);
  const files = new Map([...(known?.files ?? []), ...loaded].map((f) => [f.id, f]));
  return { files, at: { origin, alias } };
}

const fileOf = (rows: TaskRows, id: string | null): File | null => (id ? (rows.files.get(id) ?? null) : null);

function fileSummary(profile: Profile, file: File | null | undefined, at: RenderOrigin): Record<string, unknown> | null {
  if (!file) return null;
  const full = renderFile(profile, file, at);
  const { id, object, kind, type, width, height, duration, filesize, url, ref, status, codecs, fps, bitrate, filename } = full;
  return { id, object, kind, type, width, height, duration, fps, bitrate, filesize, filename, url, ref, codecs, status };
}

function sourceSummary(input: TTaskInput, inputFile: Record<string, unknown> | null): Record<string, unknown> | null {
  const source = input.source;
  if (inputFile) return { ...inputFile, ...(source?.type === "url" ? { source_url: redactCredentials(source.url) } : source?.type === "s3" ? { source_url: `s3://${source.bucket}/${source.key}` } : {}) };
  if (!source) return null;
  if (source.type === "url") return { object: "external_file", kind: "url", url: redactCredentials(source.url) };
  if (source.type === "s3") return { object: "external_file", kind: "s3", url: `s3://${source.bucket}/${source.key}`, connection_id: source.connectionId ?? null };
  if (source.type === "file") return { object: "file", id: source.fileId };
  if (source.type === "media") return { object: "media", id: source.mediaId };
  return { object: "task_output", from: "parent" };
}

/** `c`: Unix seconds in the current profile (tasks, runs); `d`: Unix milliseconds (tasks inside jobs). */
export function renderTask(profile: Profile, task: Task, rows: TaskRows, timeStyle: "c" | "d" = "c"): Record<string, unknown> {
  const { at } = rows;
  const files: TaskFiles = { input: fileOf(rows, task.inputFileId), output: fileOf(rows, task.outputFileId) };
  const input = task.input as TTaskInput;
  const output = task.output as Record<string, unknown> | null;
  const outputFile = fileSummary(profile, files.output, at);
  // Probe results and exports have no stored file: their facts live on the task.
  const renderedOutput = outputFile ? { ...outputFile, ...(output?.destination ? { destination: output.destination } : {}) } : output;
  const destination = task.destination as { url?: string; connectionId?: string } | null;
  const base = {
    id: task.id,
    object: "task",
    kind: input.requested_kind ?? task.kind,
    input: sourceSummary(input, fileSummary(profile, files.input, at)),
    options: { ...(task.options as object), ...(task.ref ? { ref: task.ref } : {}) },
    output: task.status === "succeeded" ? renderedOutput : null,
    destination: destination?.url ?? null,
    status: renderTaskStatus(profile, task.status),
    progress: task.progress,
    error: task.error,
    created_by: task.createdBy,
    parent_id: task.parentId,
    run_id: task.runId,
    job_id: task.jobId,
    media_id: task.mediaId,
    metadata: task.metadata,
  };
  if (profile.name === "current") {
    return {
      ...base,
      error: task.error ? { kind: task.errorKind ?? "task_failed", message: task.error } : null,
      ...(task.kind === "conditions" && output ? { results: output.results } : {}),
      ...renderTimes(profile, timeStyle, { created: task.createdAt, updated: task.updatedAt, started: task.startedAt, finished: task.finishedAt }),
    };
  }
  return {
    ...base,
    ...(task.kind === "conditions" && output ? { results: output.results } : {}),
    ...renderTimes(profile, "b", { created: task.createdAt, updated: task.updatedAt }),
  };
}

export async function presentTasks(profile: Profile, tasks: Task[], origin: string, known?: KnownRows): Promise<Record<string, unknown>[]> {
  if (tasks.length === 0) return [];
  const rows = await loadTaskRows(tasks, origin, { known, shownOnly: true });
  return tasks.map((task) => renderTask(profile, task, rows));
}

export async function presentTask(profile: Profile, task: Task, origin: string, known?: KnownRows): Promise<Record<string, unknown>> {
  const [rendered] = await presentTasks(profile, [task], origin, known);
  return rendered!;
}
