// POST /files: ingest a URL synchronously — the durable ingest task does the work, the request
// waits for it (seed 004), so a crash mid-request still ends with exactly one stored file.
import { AppError } from "@/lib/api/errors";
import type { ErrorCode } from "@/lib/api/errors";
import { ERROR_STATUS } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { FileWithProject } from "@/lib/files/files";
import type { TCreateFile } from "@/lib/files/schemas";
import type { ProjectScope } from "@/lib/keys/keys";
import { parseSourceUrl, type TCanonicalTask } from "@/lib/tasks/schemas";
import { createTask } from "@/lib/tasks/tasks";
import { waitForTask } from "@/lib/tasks/wait";

export type CreatedFile = { file: FileWithProject; settled: boolean };

export function taskErrorToAppError(kind: string | null, message: string | null): AppError {
  const code = kind && kind in ERROR_STATUS && ERROR_STATUS[kind as ErrorCode] < 500 ? (kind as ErrorCode) : "unprocessable";
  return new AppError(code, message ?? "The ingest failed.");
}

export async function createFileFromUrl(scope: ProjectScope, input: TCreateFile, options: { createdBy?: string; signal?: AbortSignal } = {}): Promise<CreatedFile> {
  // An empty folder names no folder: refused as it always was, with the field named.
  if (input.folder === "") throw new AppError("request_invalid", "folder: expected a non-empty string.", [{ field: "folder", message: "expected string" }]);
  const request: TCanonicalTask = {
    kind: "ingest",
    requestedKind: "ingest",
    source: parseSourceUrl(input.url, "url", input.connection_id),
    options: {},
    folder: input.folder,
    filename: input.filename,
    ref: input.ref,
    metadata: input.metadata ?? {},
    mediaId: input.media_id,
  };
  const { task } = await createTask(scope, request, { createdBy: options.createdBy });
  const fileId = task.outputFileId;
  if (!fileId) throw new Error("ingest task without a file");
  const prisma = await db();
  const load = () => prisma.file.findUniqueOrThrow({ where: { id: fileId }, include: { project: { select: { alias: true } } } });
  if (input.async) return { file: await load(), settled: false };
  const settled = await waitForTask(task.id, { timeoutMs: env().MEDIABIT_SYNC_INGEST_TIMEOUT_MS, signal: options.signal });
  if (settled.status === "failed" || settled.status === "cancelled") throw taskErrorToAppError(settled.errorKind, settled.error);
  return { file: await load(), settled: settled.status === "succeeded" };
}
