import type { Metadata } from "next";
import { RunDetail } from "@/components/tasks/tree-detail";
import { currentProject } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/dashboard/origin";
import { getRunView } from "@/lib/dashboard/queries";
import { BackLink, orNotFound } from "../../tasks/not-found-guard";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { project, scope } = await currentProject();
  const run = await orNotFound(getRunView(scope, id, await publicOrigin()));
  return (
    <>
      <BackLink href="/dashboard/runs" label="Runs" />
      <RunDetail projectId={project.id} initial={run} />
    </>
  );
}
