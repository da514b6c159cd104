import type { Metadata } from "next";
import { EmptyActivity } from "@/components/tasks/empty-state";
import { RunList } from "@/components/tasks/run-list";
import { ActivityTabs } from "@/components/tasks/tabs";
import { PageHeader } from "@/components/ui/page-header";
import { currentProject } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/dashboard/origin";
import { listRunActivity } from "@/lib/dashboard/queries";
import { curlFor } from "../tasks/curl";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage() {
  const { project, scope } = await currentProject();
  const origin = await publicOrigin();
  const initial = await listRunActivity(scope, {}, origin);
  return (
    <>
      <PageHeader title="Tasks" description={<>Runs in {project.name}: trees of tasks where each step takes the output of the one before.</>} />
      <ActivityTabs />
      <RunList
        projectId={project.id}
        initial={initial}
        empty={
          <EmptyActivity title="No runs yet" curl={curlFor(origin, "runs")}>
            A run chains tasks: download a video, then make its thumbnail and a smaller copy, each step starting when the one before succeeds.
          </EmptyActivity>
        }
      />
    </>
  );
}
