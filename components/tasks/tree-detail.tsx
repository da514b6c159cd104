"use client";

import { useQuery } from "@tanstack/react-query";
import { describeInput, kindLabel } from "@/components/tasks/describe";
import { Facts, Section } from "@/components/tasks/section";
import { CancelButton } from "@/components/tasks/task-actions";
import { TaskLink } from "@/components/tasks/task-list";
import { LIVE_POLL_MS, ProgressBar, StatusBadge, isActive } from "@/components/tasks/status";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/relative-time";
import { cancelJobAction, cancelRunAction, getJobAction, getRunAction } from "@/lib/dashboard/actions/tasks";
import type { JobView, RunView, TaskView } from "@/lib/dashboard/queries";

type Node = { task: TaskView; children: Node[] };

/** The tasks as their tree: `next` tasks under the task whose output they take. */
function treeOf(tasks: TaskView[]): Node[] {
  const nodes = new Map(tasks.map((task) => [task.id, { task, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.task.parentId ? nodes.get(node.task.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

function TreeNode({ node }: { node: Node }) {
  const { task } = node;
  return (
    <li data-testid="tree-task" data-task-id={task.id} data-status={task.status}>
      <TaskLink task={task} subject={describeInput(task.output ?? task.input)} className="block rounded-lg border border-zinc-200 bg-white px-3 py-2.5" />
      {node.children.length > 0 ? (
        <ul className="mt-2 ml-3 space-y-2 border-l-2 border-zinc-200 pl-3 sm:ml-5 sm:pl-4">
          {node.children.map((child) => (
            <TreeNode key={child.task.id} node={child} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function Header({ title, id, status, actions }: { title: string; id: string; status: TaskView["status"]; actions?: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900">{title}</h1>
          <StatusBadge status={status} />
        </div>
        <div className="mt-1 flex items-center gap-1 font-mono text-xs text-zinc-500">
          {id} <CopyButton value={id} label="Copy id" />
        </div>
      </div>
      {actions}
    </div>
  );
}

const anyActive = (status: TaskView["status"], tasks: TaskView[]) => isActive(status) || tasks.some((t) => isActive(t.status));

export function RunDetail({ projectId, initial }: { projectId: string; initial: RunView }) {
  const { data: run } = useQuery({
    queryKey: ["run", projectId, initial.id],
    queryFn: async () => {
      const result = await getRunAction({ projectId, id: initial.id });
      if (!result.ok) throw new Error(result.error);
      return result.run;
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && anyActive(q.state.data.status, q.state.data.tasks) ? LIVE_POLL_MS : false),
  });
  return (
    <div className="space-y-4" data-testid="run-detail" data-status={run.status}>
      <Header title="Run" id={run.id} status={run.status} actions={isActive(run.status) ? <CancelButton projectId={projectId} id={run.id} noun="run" action={cancelRunAction} /> : null} />
      {isActive(run.status) ? <ProgressBar status={run.status} progress={run.progress} className="h-2" /> : null}
      {run.error ? <p className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-[13px] text-red-700">{run.error}</p> : null}
      <Section title="Tasks">
        {run.tasks.length > 0 ? (
          <ul className="space-y-2" aria-label="Run tasks">
            {treeOf(run.tasks).map((node) => (
              <TreeNode key={node.task.id} node={node} />
            ))}
          </ul>
        ) : (
          <p className="text-[13px] text-zinc-500">This run has no tasks.</p>
        )}
      </Section>
      <Section title="Times">
        <Facts items={[["Created", <RelativeTime key="c" iso={run.createdAt} />], ["Finished", run.finishedAt ? <RelativeTime key="f" iso={run.finishedAt} /> : <span className="text-zinc-500">Not yet</span>]]} />
      </Section>
    </div>
  );
}

export function JobDetail({ projectId, initial }: { projectId: string; initial: JobView }) {
  const { data: job } = useQuery({
    queryKey: ["job", projectId, initial.id],
    queryFn: async () => {
      const result = await getJobAction({ projectId, id: initial.id });
      if (!result.ok) throw new Error(result.error);
      return result.job;
    },
    initialData: initial,
    refetchInterval: (q) => (q.state.data && anyActive(q.state.data.status, q.state.data.tasks) ? LIVE_POLL_MS : false),
  });
  return (
    <div className="space-y-4" data-testid="job-detail" data-status={job.status}>
      <Header title={`${kindLabel(job.kind)} job`} id={job.id} status={job.status} actions={isActive(job.status) ? <CancelButton projectId={projectId} id={job.id} noun="job" action={cancelJobAction} /> : null} />
      {job.error ? <p className="rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-[13px] text-red-700">{job.error}</p> : null}
      <Section title="Input and output">
        <Facts
          items={[
            ["Input", <span key="i" className="break-all">{job.input}</span>],
            [
              "Output",
              job.output?.startsWith("http") ? (
                <a key="o" href={job.output} target="_blank" rel="noreferrer" className="break-all text-indigo-600 hover:underline" data-testid="job-output">
                  {job.output}
                </a>
              ) : job.output ? (
                <span key="o" className="break-all">
                  {job.output}
                </span>
              ) : (
                <span className="text-zinc-500">{isActive(job.status) ? "Appears when the job succeeds." : "None: the job did not finish."}</span>
              ),
            ],
            ["Created", <RelativeTime key="c" iso={job.createdAt} />],
          ]}
        />
      </Section>
      <Section title="Steps">
        <ul className="space-y-2" aria-label="Job tasks">
          {treeOf(job.tasks).map((node) => (
            <TreeNode key={node.task.id} node={node} />
          ))}
        </ul>
      </Section>
    </div>
  );
}
