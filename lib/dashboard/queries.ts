// Whole lists for dashboard pages, read through the same services the API uses.
import { z } from "zod";
import { paginate } from "@/lib/api/pagination";
import type { PageInfo } from "@/lib/api/render";
import { CURRENT_VERSION, type Profile } from "@/lib/api/version";
import { listConnections } from "@/lib/connections/connections";
import { db } from "@/lib/db/client";
import type { Connection, Prisma, Task, TaskStatus } from "@/lib/db/generated/client";
import { deliveryUrl } from "@/lib/files/render";
import { canonicalId } from "@/lib/ids";
import { getJobOrThrow, type JobWithTasks } from "@/lib/jobs/jobs";
import type { ProjectScope } from "@/lib/keys/keys";
import { listMedia } from "@/lib/media-items/media";
import { kindFromFileName } from "@/lib/media/mime";
import { redactCredentials } from "@/lib/net/redact";
import { renderRun } from "@/lib/runs/render";
import { getRunOrThrow, type RunWithTasks } from "@/lib/runs/runs";
import { projectSigningSecret, signedUrl } from "@/lib/storage/signing";
import { loadTaskRows, renderTask, type TaskRows } from "@/lib/tasks/render";
import { getTaskOrThrow } from "@/lib/tasks/tasks";

const PAGE_SIZE = 100;

export async function listAllConnections(scope: ProjectScope): Promise<Connection[]> {
  const all: Connection[] = [];
  // Numbered pages rather than cursors: the dashboard shows everything at once.
  for (let page = 1; ; page++) {
    const { items, page: info } = await listConnections(scope, { page, limit: PAGE_SIZE, order: "asc" }, "pages");
    all.push(...items);
    if (!info.hasMore) return all;
  }
}

/** One row of the dashboard's media page: a media item shown by its original file, or an upload being published. */
export type MediaItemView = {
  /** The media id, or for an upload not yet published the upload's id. */
  id: string;
  mediaId: string | null;
  fileId: string | null;
  kind: "video" | "image" | "audio" | null;
  name: string;
  folder: string | null;
  size: number;
  type: string | null;
  status: "waiting" | "processing" | "ready" | "failed";
  /** The delivery URL (signed for an hour or two when the project serves only signed URLs); null until the file exists. */
  url: string | null;
  /** A still image of the item: the image itself, or an image file made from a video. */
  thumbnailUrl: string | null;
  width: number | null;
  height: number | null;
  duration: number | null;
  createdAt: string;
};

const KINDS = new Set(["video", "image", "audio"]);
// Signed links end on a whole hour, so refetching the list does not change them (and reload every thumbnail).
const SIGNED_LINK_HOURS = 2;

/** The newest media items of the project (one page), with the total so the page can say what it does not show. */
export async function listMediaLibrary(scope: ProjectScope, origin: string): Promise<{ items: MediaItemView[]; total: number }> {
  const prisma = await db();
  const project = await prisma.project.findUniqueOrThrow({ where: { id: scope.projectId }, select: { alias: true, deliveryAccess: true } });
  const { items, page } = await listMedia(scope, { limit: PAGE_SIZE, page: 1 }, "pages");
  const expiry = (Math.floor(Date.now() / 3_600_000) + SIGNED_LINK_HOURS) * 3600;
  const link = (path: string) =>
    project.deliveryAccess === "signed"
      ? signedUrl({ origin: `${origin}/f/${encodeURIComponent(project.alias)}`, path, expiry, method: "get", secret: projectSigningSecret(scope.projectId) })
      : deliveryUrl(origin, project.alias, path);
  const views = items.map((media): MediaItemView => {
    const file = media.files.find((f) => f.original) ?? media.files[0] ?? null;
    const still = file?.kind === "image" ? file : media.files.find((f) => f.kind === "image" && f.status === "ready" && !f.packageDir);
    const kind = media.kind ?? file?.kind ?? null;
    return {
      id: media.id,
      mediaId: media.id,
      fileId: file?.id ?? null,
      kind: kind && KINDS.has(kind) ? (kind as MediaItemView["kind"]) : null,
      name: media.title ?? file?.filename ?? media.id,
      folder: file?.folder ?? null,
      size: Number(file?.filesize ?? 0),
      type: file?.type ?? null,
      status: file?.status ?? "waiting",
      url: file?.status === "ready" ? link(file.path) : null,
      thumbnailUrl: still?.status === "ready" ? link(still.path) : null,
      width: file?.width ?? null,
      height: file?.height ?? null,
      duration: file?.duration ?? null,
      createdAt: media.createdAt.toISOString(),
    };
  });
  const publishing = (await listPublishingUploads(scope)).map(
    (upload): MediaItemView => ({
      id: upload.id,
      mediaId: null,
      fileId: null,
      kind: upload.filename ? kindFromFileName(upload.filename) : null,
      name: upload.filename ?? "Upload",
      folder: upload.folder,
      size: Number(upload.totalBytes ?? upload.bytesReceived),
      type: null,
      status: "processing",
      url: null,
      thumbnailUrl: null,
      width: null,
      height: null,
      duration: null,
      createdAt: upload.createdAt.toISOString(),
    }),
  );
  const merged = [...publishing, ...views].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, PAGE_SIZE);
  return { items: merged, total: (page.page?.total ?? views.length) + publishing.length };
}

// An upload whose last byte came longer ago than this is not being published any more (it failed or was abandoned).
const PUBLISHING_WITHIN_MS = 10 * 60 * 1000;

/** Uploads (any way in) whose bytes have all arrived and whose file is still being checked and stored. */
async function listPublishingUploads(scope: ProjectScope) {
  const prisma = await db();
  const uploads = await prisma.upload.findMany({
    where: { projectId: scope.projectId, status: "uploading", fileId: null, totalBytes: { not: null }, lastByteAt: { gte: new Date(Date.now() - PUBLISHING_WITHIN_MS) } },
    select: { id: true, filename: true, folder: true, totalBytes: true, bytesReceived: true, createdAt: true },
    orderBy: { createdAt: "desc" },
    take: PAGE_SIZE,
  });
  return uploads.filter((upload) => upload.totalBytes !== null && upload.bytesReceived >= upload.totalBytes);
}

// ---- Tasks, runs and jobs pages: cursor pages (newest first) in the API's own `latest` shapes, plus what the pages add.

const CURRENT: Profile = { name: "current", version: CURRENT_VERSION };
export const ACTIVITY_PAGE_SIZE = 25;
const ACTIVE_STATUSES: TaskStatus[] = ["waiting", "queued", "processing"];

/** The status groups the pages filter by; "active" is everything not finished. */
export const ZActivityFilters = z.object({
  status: z.enum(["active", "succeeded", "failed", "cancelled"]).optional(),
  kind: z.string().trim().max(40).optional(),
  /** ISO dates (inclusive day bounds are the caller's business). */
  createdAfter: z.iso.datetime().optional(),
  createdBefore: z.iso.datetime().optional(),
  after: z.string().max(100).optional(),
});
export type TActivityFilters = z.infer<typeof ZActivityFilters>;

export type TaskStepView = { tool: string; ms: number | null; summary: string };
/** A task as the pages show it: the API's `latest` object, ISO times, the plan's steps and a hint for its error. */
export type TaskView = {
  id: string;
  kind: string;
  status: TaskStatus;
  progress: number | null;
  error: { kind: string; message: string; hint: string } | null;
  input: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
  options: Record<string, unknown>;
  mediaId: string | null;
  runId: string | null;
  jobId: string | null;
  parentId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  steps: TaskStepView[];
  canRetry: boolean;
};
export type RunView = { id: string; status: TaskStatus; progress: number; error: string | null; createdAt: string; finishedAt: string | null; tasks: TaskView[] };
export type JobView = { id: string; kind: string; status: TaskStatus; input: string; output: string | null; error: string | null; createdAt: string; finishedAt: string | null; tasks: TaskView[] };
export type ActivityPage<T> = { items: T[]; next: string | null };

// What to do about each error kind a task records (lib/tasks/errors.ts turns step errors into these).
const ERROR_HINTS: Record<string, string> = {
  invalid_input: "The input was refused or is not media this task can read. Check the URL or file, then retry.",
  format_unsupported: "This format cannot be processed. Convert the file to a common format (MP4, MOV, MP3, JPEG, PNG) and upload it again.",
  url_required: "The task has no input. Create it again with a url, file_id or media_id.",
  connection_required: "The task needs a storage connection. Add one under Connections, then retry.",
  connection_not_found: "Its connection was deleted. Add the connection again under Connections, then create the task again.",
  connection_verification_failed: "The storage connection refused access. Check its keys and bucket under Connections, then retry.",
  file_not_found: "The input file was deleted. Upload it again under Media, then create the task again.",
  media_not_found: "The media item was deleted. Upload it again under Media, then create the task again.",
  processing_failed: "The encoder could not process this input with these options. Try other options (a smaller size, another codec) or another file.",
  task_failed: "The task stopped unexpectedly. Retry it; if it fails again, check the server's logs for its id.",
};

function hintFor(kind: string, status: TaskStatus): string {
  if (status === "cancelled") return "It was cancelled before it finished. Retry it to run it again.";
  return ERROR_HINTS[kind] ?? ERROR_HINTS.task_failed!;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

function stepSummary(step: Record<string, unknown>): string {
  // The server's own folders say nothing to the reader (and are not theirs to know): file names only.
  if (step.tool === "ffmpeg" && Array.isArray(step.args)) return `ffmpeg ${(step.args as string[]).map((arg) => (arg.startsWith("/") ? arg.split("/").at(-1) : arg)).join(" ")}`;
  if (step.tool === "sharp" && Array.isArray(step.items)) return `sharp: ${step.items.length} image${step.items.length === 1 ? "" : "s"}`;
  if (step.tool === "heif-convert") return "heif-convert: HEIC to JPEG";
  if (step.tool === "write" && typeof step.path === "string") return `write ${step.path.split("/").at(-1)}`;
  return String(step.tool ?? "step");
}

function planSteps(plan: unknown): TaskStepView[] {
  const steps = (plan as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return [];
  return steps.map((step: Record<string, unknown>) => ({ tool: String(step.tool ?? "step"), ms: typeof step.ms === "number" ? step.ms : null, summary: stepSummary(step) }));
}

function toTaskView(task: Task, rows: TaskRows): TaskView {
  const rendered = renderTask(CURRENT, task, rows);
  return {
    id: task.id,
    kind: String(rendered.kind),
    status: task.status,
    progress: task.progress,
    error: task.error && (task.status === "failed" || task.status === "cancelled") ? { kind: task.errorKind ?? "task_failed", message: task.error, hint: hintFor(task.errorKind ?? "task_failed", task.status) } : null,
    input: rendered.input as Record<string, unknown> | null,
    output: rendered.output as Record<string, unknown> | null,
    options: rendered.options as Record<string, unknown>,
    mediaId: task.mediaId,
    runId: task.runId,
    jobId: task.jobId,
    parentId: task.parentId,
    createdAt: task.createdAt.toISOString(),
    startedAt: iso(task.startedAt),
    finishedAt: iso(task.finishedAt),
    steps: planSteps(task.plan),
    canRetry: isRetryable(task),
  };
}

/** Failed or cancelled tasks of their own (not inside a run or job, which are retried as a whole) can be made again. */
export function isRetryable(task: Pick<Task, "status" | "runId" | "jobId">): boolean {
  return (task.status === "failed" || task.status === "cancelled") && !task.runId && !task.jobId;
}

async function taskViews(scope: ProjectScope, tasks: Task[], origin: string): Promise<TaskView[]> {
  if (tasks.length === 0) return [];
  const rows = await loadTaskRows(tasks, origin, { projectId: scope.projectId, shownOnly: true });
  return tasks.map((task) => toTaskView(task, rows));
}

function activityWhere(filters: TActivityFilters) {
  const created = {
    ...(filters.createdAfter ? { gte: new Date(filters.createdAfter) } : {}),
    ...(filters.createdBefore ? { lte: new Date(filters.createdBefore) } : {}),
  };
  const statuses: TaskStatus[] | undefined = filters.status === "active" ? ACTIVE_STATUSES : filters.status ? [filters.status] : undefined;
  return { ...(statuses ? { status: { in: statuses } } : {}), ...(Object.keys(created).length > 0 ? { createdAt: created } : {}) };
}

const nextCursor = (page: PageInfo) => (page.hasMore ? (page.cursor?.last ?? null) : null);

/** The project's tasks of their own and inside runs and jobs, newest first, one cursor page at a time. */
export async function listTaskActivity(scope: ProjectScope, filters: TActivityFilters, origin: string): Promise<ActivityPage<TaskView>> {
  const prisma = await db();
  const where: Prisma.TaskWhereInput = { projectId: scope.projectId, ...activityWhere(filters), ...(filters.kind ? { kind: filters.kind } : {}) };
  const { items, page } = await paginate({
    query: { after: filters.after, limit: ACTIVITY_PAGE_SIZE },
    mode: "cursor",
    count: () => prisma.task.count({ where }),
    fetch: ({ where: cursor, orderBy, take }) => prisma.task.findMany({ where: { ...where, ...cursor }, orderBy, take }),
    findCursor: (id) => prisma.task.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
  return { items: await taskViews(scope, items, origin), next: nextCursor(page) };
}

export async function listRunActivity(scope: ProjectScope, filters: TActivityFilters, origin: string): Promise<ActivityPage<RunView>> {
  const prisma = await db();
  const where: Prisma.RunWhereInput = { projectId: scope.projectId, ...activityWhere(filters) };
  const { items, page } = await paginate({
    query: { after: filters.after, limit: ACTIVITY_PAGE_SIZE },
    mode: "cursor",
    count: () => prisma.run.count({ where }),
    fetch: ({ where: cursor, orderBy, take }) => prisma.run.findMany({ where: { ...where, ...cursor }, orderBy, take, include: { tasks: { orderBy: { position: "asc" } } } }),
    findCursor: (id) => prisma.run.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
  const tasks = await taskViews(scope, items.flatMap((run) => run.tasks), origin);
  return { items: items.map((run) => toRunView(run, tasks)), next: nextCursor(page) };
}

export async function listJobActivity(scope: ProjectScope, filters: TActivityFilters, origin: string): Promise<ActivityPage<JobView>> {
  const prisma = await db();
  const where: Prisma.JobWhereInput = { projectId: scope.projectId, ...activityWhere(filters), ...(filters.kind ? { kind: filters.kind } : {}) };
  const { items, page } = await paginate({
    query: { after: filters.after, limit: ACTIVITY_PAGE_SIZE },
    mode: "cursor",
    count: () => prisma.job.count({ where }),
    fetch: ({ where: cursor, orderBy, take }) => prisma.job.findMany({ where: { ...where, ...cursor }, orderBy, take, include: { tasks: { orderBy: { position: "asc" } } } }),
    findCursor: (id) => prisma.job.findFirst({ where: { ...where, id: canonicalId(id) }, select: { id: true, createdAt: true } }),
  });
  const tasks = await taskViews(scope, items.flatMap((job) => job.tasks), origin);
  return { items: items.map((job) => toJobView(job, tasks)), next: nextCursor(page) };
}

function toRunView(run: RunWithTasks, views: TaskView[]): RunView {
  const rendered = renderRun(CURRENT, run, "summary");
  const ids = new Set(run.tasks.map((t) => t.id));
  return { id: run.id, status: run.status, progress: Number(rendered.progress), error: run.error, createdAt: run.createdAt.toISOString(), finishedAt: iso(run.finishedAt), tasks: views.filter((t) => ids.has(t.id)) };
}

function toJobView(job: JobWithTasks, views: TaskView[]): JobView {
  const ids = new Set(job.tasks.map((t) => t.id));
  const tasks = views.filter((t) => ids.has(t.id));
  const error = job.error as { message?: string } | string | null;
  // As renderJob: the s3:// destination it exported to, else the delivery URL of its encode's output.
  const encoded = tasks.find((t) => t.kind === job.kind)?.output?.url;
  const output = job.status !== "succeeded" ? null : job.output?.startsWith("s3://") ? job.output : typeof encoded === "string" ? encoded : job.output;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    input: redactCredentials(job.input),
    output,
    error: typeof error === "string" ? error : (error?.message ?? null),
    createdAt: job.createdAt.toISOString(),
    finishedAt: iso(job.finishedAt),
    tasks,
  };
}

export async function getTaskView(scope: ProjectScope, id: string, origin: string): Promise<TaskView> {
  const [view] = await taskViews(scope, [await getTaskOrThrow(scope, id)], origin);
  return view!;
}

export async function getRunView(scope: ProjectScope, id: string, origin: string): Promise<RunView> {
  const run = await getRunOrThrow(scope, id);
  return toRunView(run, await taskViews(scope, run.tasks, origin));
}

export async function getJobView(scope: ProjectScope, id: string, origin: string): Promise<JobView> {
  const job = await getJobOrThrow(scope, id);
  return toJobView(job, await taskViews(scope, job.tasks, origin));
}
