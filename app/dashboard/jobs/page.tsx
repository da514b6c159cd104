import type { Metadata } from "next";
import { EmptyActivity } from "@/components/tasks/empty-state";
import { JobList } from "@/components/tasks/run-list";
import { ActivityTabs } from "@/components/tasks/tabs";
import { PageHeader } from "@/components/ui/page-header";
import { currentProject } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/dashboard/origin";
import { listJobActivity } from "@/lib/dashboard/queries";
import { TRANSFORM_KINDS } from "@/lib/tasks/kinds";
import { curlFor } from "../tasks/curl";

export const metadata: Metadata = { title: "Jobs" };

export default async function JobsPage() {
  const { project, scope } = await currentProject();
  const origin = await publicOrigin();
  const initial = await listJobActivity(scope, {}, origin);
  return (
    <>
      <PageHeader title="Tasks" description={<>Jobs in {project.name}: one encode from a URL, with its download, probe and export steps.</>} />
      <ActivityTabs />
      <JobList
        projectId={project.id}
        kinds={[...TRANSFORM_KINDS]}
        initial={initial}
        empty={
          <EmptyActivity title="No jobs yet" curl={curlFor(origin, "jobs")}>
            A job is the one-call way to encode a file from a URL: it downloads, probes, encodes and, with an <code>output</code>, exports to your bucket.
          </EmptyActivity>
        }
      />
    </>
  );
}
