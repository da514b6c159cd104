// Loads what task objects show (their input and output files) in two queries, then renders.
import type { Profile } from "@/lib/api/version";
import { db } from "@/lib/db/client";
import type { Task } from "@/lib/db/generated/client";
import { renderTask } from "@/lib/tasks/render";

export async function presentTasks(profile: Profile, tasks: Task[], origin: string, timeStyle: "c" | "d" = "c"): Promise<Record<string, unknown>[]> {
  if (tasks.length === 0) return [];
  const prisma = await db();
  const ids = [...new Set(tasks.flatMap((t) => [t.inputFileId, t.outputFileId]).filter((id): id is string => Boolean(id)))];
  const [files, project] = await Promise.all([
    prisma.file.findMany({ where: { id: { in: ids } } }),
    prisma.project.findUniqueOrThrow({ where: { id: tasks[0]!.projectId }, select: { alias: true } }),
  ]);
  const byId = new Map(files.map((f) => [f.id, f]));
  return tasks.map((task) =>
    renderTask(
      profile,
      task,
      { input: task.inputFileId ? byId.get(task.inputFileId) : null, output: task.outputFileId ? byId.get(task.outputFileId) : null },
      { origin, alias: project.alias },
      timeStyle,
    ),
  );
}

export async function presentTask(profile: Profile, task: Task, origin: string): Promise<Record<string, unknown>> {
  const [rendered] = await presentTasks(profile, [task], origin);
  return rendered!;
}
