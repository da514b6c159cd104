import type { Metadata } from "next";
import Link from "next/link";
import { UsageOverview } from "@/components/overview/usage-overview";
import { WorkspaceEmptyState } from "@/components/team/workspace-empty-state";
import { CopyButton } from "@/components/ui/copy-button";
import { ArrowRightIcon, DatabaseIcon, KeyIcon } from "@/components/ui/icons";
import { Card, PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { getOverviewUsage } from "@/lib/analytics/overview";
import { currentProject } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/dashboard/origin";
import { listAllConnections } from "@/lib/dashboard/queries";
import { listKeys } from "@/lib/keys/keys";
import { toWorkspaceGap } from "@/lib/teams/views";
import { currentWorkspace } from "@/lib/teams/workspace";

export const metadata: Metadata = { title: "Overview" };

function CodeLine({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="flex items-center justify-between gap-4 px-5 py-3.5">
      <div className="w-28 shrink-0 text-[13px] text-zinc-500">{label}</div>
      <div className="flex min-w-0 flex-1 items-center justify-end gap-1">
        <code className="truncate font-mono text-[13px] text-zinc-900" data-testid={testId} title={value}>
          {value}
        </code>
        <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
    </div>
  );
}

export default async function OverviewPage() {
  // currentProject() sends here when there is no project to show; this page says why instead of redirecting on.
  const gap = toWorkspaceGap(await currentWorkspace());
  if (gap) return <WorkspaceEmptyState gap={gap} />;
  const { project, scope } = await currentProject();
  const [keys, connections, origin, usage] = await Promise.all([listKeys(scope), listAllConnections(scope), publicOrigin(), getOverviewUsage(scope)]);
  const apiBase = `${origin}/api`;
  const defaultConnection = connections.find((c) => c.isDefault);
  const curl = [`curl ${apiBase}/connections \\`, `  -H "Authorization: Bearer YOUR_API_KEY"`].join("\n");

  return (
    <>
      <PageHeader title={project.name} description={<>Project in {project.orgName}</>} />

      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <Link href="/dashboard/keys" className="group min-w-0">
          <Card className="flex items-center gap-4 p-5 transition-colors group-hover:border-zinc-300">
            <div className="flex size-10 items-center justify-center rounded-lg bg-indigo-50 text-indigo-600">
              <KeyIcon className="size-5" />
            </div>
            <div className="min-w-0 flex-1">
              <div className="text-[13px] text-zinc-500">Active API keys</div>
              <div className="text-2xl font-semibold tracking-tight text-zinc-900" data-testid="key-count">
                {keys.length}
              </div>
            </div>
            <span className="flex items-center gap-1 text-[13px] font-medium text-zinc-500 group-hover:text-zinc-900">
              Manage <ArrowRightIcon className="size-3.5" />
            </span>
          </Card>
        </Link>
        <Link href="/dashboard/connections" className="group min-w-0">
          <Card className="flex items-center gap-4 p-5 transition-colors group-hover:border-zinc-300">
            <div className="flex size-10 items-center justify-center rounded-lg bg-indigo-50 text-indigo-600">
              <DatabaseIcon className="size-5" />
            </div>
            <div className="min-w-0 flex-1">
              <div className="text-[13px] text-zinc-500">Connections</div>
              <div className="flex min-w-0 items-baseline gap-2">
                <span className="text-2xl font-semibold tracking-tight text-zinc-900" data-testid="connection-count">
                  {connections.length}
                </span>
                <span className="truncate text-xs text-zinc-500" title={defaultConnection?.name}>
                  {defaultConnection ? `default: ${defaultConnection.name}` : connections.length > 0 ? "no default" : ""}
                </span>
              </div>
            </div>
            <span className="flex items-center gap-1 text-[13px] font-medium text-zinc-500 group-hover:text-zinc-900">
              Manage <ArrowRightIcon className="size-3.5" />
            </span>
          </Card>
        </Link>
      </div>

      <UsageOverview usage={usage} />

      <h2 className="mt-10 mb-3 text-sm font-semibold text-zinc-900">Project details</h2>
      <Card className="divide-y divide-zinc-100">
        <CodeLine label="Project ID" value={project.id} testId="project-id" />
        <CodeLine label="API base URL" value={apiBase} testId="api-base-url" />
        <div className="flex items-center justify-between gap-4 px-5 py-3.5">
          <div className="w-28 shrink-0 text-[13px] text-zinc-500">Created</div>
          <RelativeTime iso={project.createdAt.toISOString()} className="text-[13px] text-zinc-900" />
        </div>
      </Card>

      <h2 className="mt-10 mb-1 text-sm font-semibold text-zinc-900">Quick start</h2>
      <p className="mb-3 text-[13px] text-zinc-500">
        Create an <Link href="/dashboard/keys" className="font-medium text-indigo-600 hover:text-indigo-700">API key</Link>, put it in place of{" "}
        <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs text-zinc-700">YOUR_API_KEY</code> and list this project&apos;s connections. The API
        is compatible with Ittybit&apos;s, so its SDKs and examples work with this base URL.
      </p>
      <div className="overflow-hidden rounded-xl border border-zinc-800 bg-zinc-950 shadow-sm">
        <div className="flex items-center justify-between border-b border-zinc-800 px-4 py-2">
          <span className="text-xs font-medium text-zinc-300">Terminal</span>
          <CopyButton value={curl} label="Copy command" showLabel tone="dark" />
        </div>
        <pre tabIndex={0} aria-label="Quick start command" className="overflow-x-auto px-4 py-4 font-mono text-[13px] leading-6 text-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500" data-testid="quickstart">
          <code>{curl}</code>
        </pre>
      </div>
    </>
  );
}
