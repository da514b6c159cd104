// Loads what task objects show (their input and output files) in two queries, then renders; rows the caller already
// holds (a task it has just created) are not read again.
import type { Profile } from "@/lib/api/version";
import { db } from "@/lib/db/client";
import type { File, Task } from "@/lib/db/generated/client";
import { renderTask } from "@/lib/tasks/render";

export type KnownRows = { files: File[]; alias: string };

export async function presentTasks(
  profile: Profile,
  tasks: Task[],
  origin: string,
  timeStyle: "c" | "d" = "c",
  known?: KnownRows,
): Promise<Record<string, unknown>[]> {
  if (tasks.length === 0) return [];
  const prisma = await db();
  const held = new Set(known?.files.map((f) => f.id));
  const ids = [...new Set(tasks.flatMap((t) => [t.inputFileId, t.outputFileId]).filter((id): id is string => Boolean(id) && !held.has(id!)))];
  const [loaded, project] = await Promise.all([
    ids.length > 0 ? prisma.file.findMany({ where: { id: { in: ids } } }) : [],
    known ? { alias: known.alias } : prisma.project.findUniqueOrThrow({ where: { id: tasks[0]!.projectId }, select: { alias: true } }),
  ]);
  const files = [...(known?.files ?? []), ...loaded];
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

export async function presentTask(profile: Profile, task: Task, origin: string, known?: KnownRows): Promise<Record<string, unknown>> {
  const [rendered] = await presentTasks(profile, [task], origin, "c", known);
  return rendered!;
}
