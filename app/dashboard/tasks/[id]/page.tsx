import type { Metadata } from "next";
import { TaskDetail } from "@/components/tasks/task-detail";
import { currentProject } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/dashboard/origin";
import { getTaskView } from "@/lib/dashboard/queries";
import { BackLink, orNotFound } from "../not-found-guard";

export const metadata: Metadata = { title: "Task" };

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { project, scope } = await currentProject();
  const task = await orNotFound(getTaskView(scope, id, await publicOrigin()));
  return (
    <>
      <BackLink href="/dashboard/tasks" label="Tasks" />
      <TaskDetail projectId={project.id} initial={task} />
    </>
  );
}
