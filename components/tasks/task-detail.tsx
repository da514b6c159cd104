"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatBytes, formatDuration } from "@/components/media/format";
import { describeInput, kindLabel } from "@/components/tasks/describe";
import { Facts, Json, Section } from "@/components/tasks/section";
import { CancelButton, RetryButton } from "@/components/tasks/task-actions";
import { LIVE_POLL_MS, ProgressBar, StatusBadge, elapsed, formatMs, isActive } from "@/components/tasks/status";
import { AlertIcon } from "@/components/ui/icons";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/relative-time";
import { cancelTaskAction, getTaskAction } from "@/lib/dashboard/actions/tasks";
import type { TaskView } from "@/lib/dashboard/queries";

const str = (value: unknown) => (typeof value === "string" && value ? value : null);
const num = (value: unknown) => (typeof value === "number" ? value : null);

/** Size, dimensions and duration of a file summary, as far as it has them. */
function fileFacts(file: Record<string, unknown>): string {
  const parts = [str(file.kind), str(file.type)].filter(Boolean) as string[];
  const [width, height, duration, size] = [num(file.width), num(file.height), num(file.duration), num(file.filesize)];
  if (width && height) parts.push(`${width}×${height}`);
  if (duration) parts.push(formatDuration(duration));
  if (size) parts.push(formatBytes(size));
  return parts.join(" · ");
}

function FileLine({ file, label }: { file: Record<string, unknown>; label: string }) {
  // Only a stored file is served; an external input (a URL, s3://) is shown, not fetched.
  const url = !file.status || file.status === "ready" ? str(file.url) : null;
  const name = describeInput(file);
  return (
    <div className="min-w-0">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        {url && url.startsWith("http") ? (
          <a href={url} target="_blank" rel="noreferrer" className="min-w-0 font-medium break-all text-indigo-600 hover:underline" data-testid={`${label}-link`}>
            {name}
          </a>
        ) : (
          <span className="min-w-0 font-medium break-all text-zinc-900">{name}</span>
        )}
        {url && url.startsWith("http") ? <CopyButton value={url} label={`Copy ${label} URL`} /> : null}
      </div>
      <div className="mt-0.5 text-xs break-all text-zinc-500">{file.status && file.status !== "ready" ? `${str(file.status)}${str(file.source_url) ? ` · from ${str(file.source_url)}` : ""}` : fileFacts(file) || str(file.object)}</div>
    </div>
  );
}

export function TaskDetail({ projectId, initial }: { projectId: string; initial: TaskView }) {
  const query = useQuery({
    queryKey: ["task", projectId, initial.id],
    queryFn: async () => {
      const result = await getTaskAction({ projectId, id: initial.id });
      if (!result.ok) throw new Error(result.error);
      return result.task;
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? LIVE_POLL_MS : false),
  });
  const task = query.data;
  const took = elapsed(task.startedAt, task.finishedAt);
  const output = task.output;
  const isProbe = task.kind === "probe" && output && !str(output.url);
  return (
    <div className="space-y-4" data-testid="task-detail" data-status={task.status}>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-xl font-semibold tracking-tight text-zinc-900">{kindLabel(task.kind)} task</h1>
            <StatusBadge status={task.status} />
          </div>
          <div className="mt-1 flex items-center gap-1 font-mono text-xs text-zinc-500">
            {task.id} <CopyButton value={task.id} label="Copy task id" />
          </div>
        </div>
        <div className="flex items-start gap-2">
          {isActive(task.status) ? <CancelButton projectId={projectId} id={task.id} noun="task" action={cancelTaskAction} /> : null}
          {task.canRetry ? <RetryButton projectId={projectId} id={task.id} /> : null}
        </div>
      </div>

      {isActive(task.status) ? (
        <div className="rounded-xl border border-zinc-200 bg-white px-4 py-3 shadow-xs">
          <div className="mb-2 flex justify-between text-[13px] text-zinc-600">
            <span>{task.status === "processing" ? "Processing" : "Waiting for a worker"}</span>
            <span data-testid="task-progress-value">{task.progress ?? 0}%</span>
          </div>
          <ProgressBar status={task.status} progress={task.progress} className="h-2" />
        </div>
      ) : null}

      {task.error ? (
        <div role="alert" className={task.status === "failed" ? "rounded-xl border border-red-200 bg-red-50 px-4 py-3" : "rounded-xl border border-zinc-200 bg-zinc-50 px-4 py-3"}>
          <div className="flex gap-2.5">
            <AlertIcon className={task.status === "failed" ? "mt-0.5 size-4 shrink-0 text-red-600" : "mt-0.5 size-4 shrink-0 text-zinc-500"} />
            <div className="min-w-0 text-[13px]">
              <p className="font-medium break-words text-zinc-900" data-testid="task-error">
                {task.error.message}
              </p>
              <p className="mt-1 text-zinc-700" data-testid="task-hint">
                {task.error.hint}
              </p>
              {task.status === "failed" ? <p className="mt-1 font-mono text-xs text-zinc-700">{task.error.kind}</p> : null}
            </div>
          </div>
        </div>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Input and output">
          <Facts
            items={[
              ["Input", task.input ? <FileLine file={task.input} label="input" /> : "None"],
              [
                "Output",
                output && !isProbe ? (
                  <FileLine file={output} label="output" />
                ) : isActive(task.status) ? (
                  <span className="text-zinc-500">Appears when the task succeeds.</span>
                ) : task.status === "succeeded" && !isProbe ? (
                  <span className="text-zinc-500">This task keeps no file.</span>
                ) : isProbe ? (
                  <span className="text-zinc-500">The probe&apos;s facts, below.</span>
                ) : (
                  <span className="text-zinc-500">None: the task did not finish.</span>
                ),
              ],
              ...(task.mediaId ? ([["Media item", <Link key="media" href="/dashboard/media" className="font-mono text-indigo-600 hover:underline">{task.mediaId}</Link>]] as [string, React.ReactNode][]) : []),
              ...(task.runId ? ([["Run", <Link key="run" href={`/dashboard/runs/${task.runId}`} className="font-mono text-indigo-600 hover:underline">{task.runId}</Link>]] as [string, React.ReactNode][]) : []),
              ...(task.jobId ? ([["Job", <Link key="job" href={`/dashboard/jobs/${task.jobId}`} className="font-mono text-indigo-600 hover:underline">{task.jobId}</Link>]] as [string, React.ReactNode][]) : []),
            ]}
          />
        </Section>
        <Section title="Times">
          <Facts
            items={[
              ["Created", <RelativeTime key="c" iso={task.createdAt} />],
              ["Started", task.startedAt ? <RelativeTime key="s" iso={task.startedAt} /> : <span className="text-zinc-500">Not yet</span>],
              ["Finished", task.finishedAt ? <RelativeTime key="f" iso={task.finishedAt} /> : <span className="text-zinc-500">Not yet</span>],
              ["Took", took ?? <span className="text-zinc-500">—</span>],
            ]}
          />
        </Section>
      </div>

      <Section title="Plan">
        {task.steps.length > 0 ? (
          <ol className="space-y-3" aria-label="Plan steps">
            {task.steps.map((step, index) => (
              <li key={index} className="min-w-0" data-testid="plan-step">
                <div className="flex items-baseline justify-between gap-3 text-[13px]">
                  <span className="font-medium text-zinc-900">
                    {index + 1}. {step.tool}
                  </span>
                  <span className="shrink-0 text-zinc-500 tabular-nums">{step.ms === null ? "—" : formatMs(step.ms)}</span>
                </div>
                <code className="mt-1 block rounded-md bg-zinc-50 px-3 py-2 font-mono text-xs break-all whitespace-pre-wrap text-zinc-700">{step.summary}</code>
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-[13px] text-zinc-500">
            {isActive(task.status)
              ? "The encoder's steps and their times appear here when the work is done."
              : "No encoder steps: this task downloaded, probed or exported without transforming media, or stopped before its plan ran."}
          </p>
        )}
      </Section>

      {isProbe ? (
        <Section title="Probe">
          <Json value={output} />
        </Section>
      ) : null}

      <Section title="Options">{Object.keys(task.options).length > 0 ? <Json value={task.options} /> : <p className="text-[13px] text-zinc-500">Defaults: no options were given.</p>}</Section>
    </div>
  );
}
