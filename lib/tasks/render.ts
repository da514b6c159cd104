// A task per profile: B objects (`pending`/`completed`, file summaries, ISO `created`) for the
// enveloped and bare profiles; C/D objects (`succeeded`, Unix-second timestamps) for `latest`.
import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import type { File, Task } from "@/lib/db/generated/client";
import { renderFile, type RenderOrigin } from "@/lib/files/render";
import { redactCredentials } from "@/lib/net/redact";
import { renderTaskStatus } from "@/lib/tasks/status";
import type { TTaskInput } from "@/lib/tasks/tasks";

export type TaskFiles = { input?: File | null; output?: File | null };

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
export function renderTask(profile: Profile, task: Task, files: TaskFiles, at: RenderOrigin, timeStyle: "c" | "d" = "c"): Record<string, unknown> {
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
