import type { Metadata } from "next";
import type { ReactNode } from "react";
import { DomainsSection } from "@/components/domains/domains-section";
import { DeleteProjectDialog } from "@/components/settings/delete-project-dialog";
import { NameForm } from "@/components/settings/name-form";
import { WorkspaceEmptyState } from "@/components/team/workspace-empty-state";
import { Card, PageHeader } from "@/components/ui/page-header";
import { loadDomainsPanel } from "@/lib/domains/panel";
import { countProjectContents } from "@/lib/projects/manage";
import { toWorkspaceGap } from "@/lib/teams/views";
import { currentWorkspace } from "@/lib/teams/workspace";

export const metadata: Metadata = { title: "Settings" };

function Section({ title, description, children, tone = "default" }: { title: string; description: ReactNode; children: ReactNode; tone?: "default" | "danger" }) {
  return (
    <section className="mt-8 first:mt-0">
      <h2 className={`text-sm font-semibold ${tone === "danger" ? "text-red-700" : "text-zinc-900"}`}>{title}</h2>
      <p className="mt-0.5 mb-3 text-[13px] text-zinc-500">{description}</p>
      <Card className={`p-5 ${tone === "danger" ? "border-red-200" : ""}`}>{children}</Card>
    </section>
  );
}

export default async function SettingsPage() {
  const workspace = await currentWorkspace();
  const { user, org, project } = workspace;
  const gap = toWorkspaceGap(workspace);
  if (!org) return gap ? <WorkspaceEmptyState gap={gap} /> : null;
  const isOwner = org.role === "owner";
  const contents = project ? await countProjectContents({ userId: user.id, projectId: project.id }) : null;
  const domainsPanel = project ? await loadDomainsPanel({ projectId: project.id, orgId: org.id }) : null;

  return (
    <>
      <PageHeader title="Settings" description={project ? <>The project {project.name} and its organisation, {org.name}.</> : <>The organisation {org.name}.</>} />

      {project && contents ? (
        <>
          <Section title="Project" description="Any member can rename the project. Its ID and delivery alias stay the same, so API calls and URLs keep working.">
            <NameForm key={project.id} target={{ kind: "project", projectId: project.id }} label="Project name" name={project.name} />
            <div className="mt-4 grid gap-1 border-t border-zinc-100 pt-4 text-[13px] sm:grid-cols-[8rem_1fr]">
              <span className="text-zinc-500">Project ID</span>
              <code className="truncate font-mono text-zinc-900">{project.id}</code>
              <span className="text-zinc-500">Delivery alias</span>
              <code className="truncate font-mono text-zinc-900">{project.alias}</code>
            </div>
          </Section>

          {domainsPanel ? (
            <Section title="Custom domains" description="Serve this project's files from your own hostname: https://media.example.com/<folder>/<filename> instead of this server's /f/ links.">
              <DomainsSection projectId={project.id} {...domainsPanel} />
            </Section>
          ) : null}

          <Section title="Delete project" tone="danger" description="Deletes the project with its media, files, tasks, API keys and connections. This cannot be undone.">
            {isOwner ? (
              <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
                <p className="text-[13px] text-zinc-600">
                  {project.name} holds {contents.media} media {contents.media === 1 ? "item" : "items"}, {contents.files} {contents.files === 1 ? "file" : "files"} and{" "}
                  {contents.apiKeys} active API {contents.apiKeys === 1 ? "key" : "keys"}.
                </p>
                <DeleteProjectDialog projectId={project.id} projectName={project.name} orgName={org.name} contents={contents} />
              </div>
            ) : (
              <p className="text-[13px] text-zinc-600" data-testid="delete-project-owner-only">
                Only owners of {org.name} can delete projects. Ask an owner if this project should go.
              </p>
            )}
          </Section>
        </>
      ) : gap ? (
        <div className="mb-8">
          <WorkspaceEmptyState gap={gap} />
        </div>
      ) : null}

      <Section title="Organisation" description={isOwner ? "Owners can rename the organisation; every member sees the new name." : "Only owners can rename the organisation."}>
        {isOwner ? (
          <NameForm key={org.id} target={{ kind: "organization", orgId: org.id }} label="Organisation name" name={org.name} />
        ) : (
          <div className="text-[13px]">
            <div className="font-medium text-zinc-800">Organisation name</div>
            <div className="mt-1 text-zinc-900" data-testid="org-name-readonly">
              {org.name}
            </div>
          </div>
        )}
      </Section>
    </>
  );
}
