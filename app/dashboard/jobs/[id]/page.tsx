import type { Metadata } from "next";
import { JobDetail } from "@/components/tasks/tree-detail";
import { currentProject } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/dashboard/origin";
import { getJobView } from "@/lib/dashboard/queries";
import { BackLink, orNotFound } from "../../tasks/not-found-guard";

export const metadata: Metadata = { title: "Job" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { project, scope } = await currentProject();
  const job = await orNotFound(getJobView(scope, id, await publicOrigin()));
  return (
    <>
      <BackLink href="/dashboard/jobs" label="Jobs" />
      <JobDetail projectId={project.id} initial={job} />
    </>
  );
}
