import type { Metadata } from "next";
import Link from "next/link";
import { EmptyActivity } from "@/components/tasks/empty-state";
import { ActivityTabs } from "@/components/tasks/tabs";
import { TaskList } from "@/components/tasks/task-list";
import { PageHeader } from "@/components/ui/page-header";
import { currentProject } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/dashboard/origin";
import { listTaskActivity } from "@/lib/dashboard/queries";
import { TRANSFORM_KINDS } from "@/lib/tasks/kinds";
import { curlFor } from "./curl";

export const metadata: Metadata = { title: "Tasks" };

const KINDS = ["ingest", "probe", ...TRANSFORM_KINDS, "export", "conditions"];

export default async function TasksPage() {
  const { project, scope } = await currentProject();
  const origin = await publicOrigin();
  const initial = await listTaskActivity(scope, {}, origin);
  return (
    <>
      <PageHeader title="Tasks" description={<>Media work in {project.name}, newest first. Progress updates live while anything runs.</>} />
      <ActivityTabs />
      <TaskList
        projectId={project.id}
        kinds={KINDS}
        initial={initial}
        empty={
          <EmptyActivity title="No tasks yet" curl={curlFor(origin, "tasks")}>
            A task turns one file into another: a smaller video, a thumbnail, an HLS stream. Tasks are made through the API: point one at
            any URL with the command below, or upload files on the{" "}
            <Link href="/dashboard/media" className="text-indigo-600 underline underline-offset-2">
              Media
            </Link>{" "}
            page first and give their <code>file_id</code>. This page shows them as they run.
          </EmptyActivity>
        }
      />
    </>
  );
}
