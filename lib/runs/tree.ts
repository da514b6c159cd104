// Task trees (runs, jobs): parsed and validated as a whole before anything is created, then
// inserted parent-first in one transaction. Children take their parent's output as input.
import { AppError } from "@/lib/api/errors";
import type { Prisma, Task } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/engine/types";
import { newId } from "@/lib/ids";
import type { ProjectScope } from "@/lib/keys/keys";
import { ZConditions, type TCondition } from "@/lib/runs/conditions";
import { parseTaskRequest, type TCanonicalTask } from "@/lib/tasks/schemas";
import { insertTask, prepareTask, type TaskLinks, type TTaskInput } from "@/lib/tasks/tasks";

const MAX_NODES = 50;
const MAX_DEPTH = 10;

/** A step as the caller wrote it (`body`, a run's JSON for the task schema), or one a service built already typed (`task`, read here so its errors carry the step's path). */
export type TreeNode = { path: string; body?: Record<string, unknown>; task?: () => TCanonicalTask; conditions?: TCondition[]; children: TreeNode[] };
type Prepared = { node: TreeNode; task?: Awaited<ReturnType<typeof prepareTask>>; children: Prepared[] };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function withPath(path: string, error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  return new AppError(error.code, `${path}: ${error.message}`, error.details?.map((d) => ({ ...d, field: d.field ? `${path}.${d.field}` : path })));
}

export function parseTree(raw: unknown, field: string): TreeNode[] {
  let count = 0;
  const walk = (items: unknown, path: string, depth: number): TreeNode[] => {
    if (!Array.isArray(items)) throw new AppError("request_invalid", `${path}: expected an array of tasks.`, [{ field: path, message: "expected array" }]);
    if (depth > MAX_DEPTH) throw new AppError("request_invalid", `${path}: task trees are at most ${MAX_DEPTH} levels deep.`, [{ field: path, message: "too deep" }]);
    return items.map((item, index) => {
      const at = `${path}[${index}]`;
      if (!isObject(item)) throw new AppError("request_invalid", `${at}: expected a task object with a \`kind\`.`, [{ field: at, message: "expected object" }]);
      if (++count > MAX_NODES) throw new AppError("request_invalid", `A run holds at most ${MAX_NODES} tasks.`, [{ field, message: "too many tasks" }]);
      const { next, conditions, ...body } = item;
      let parsedConditions: TCondition[] | undefined;
      if (body.kind === "conditions") {
        const parsed = ZConditions.safeParse(conditions);
        if (!parsed.success) {
          throw new AppError("request_invalid", `${at}.conditions: ${parsed.error.issues.map((i) => `${i.path.join(".") || "conditions"}: ${i.message}`).join("; ")}.`, [
            { field: `${at}.conditions`, message: "invalid conditions" },
          ]);
        }
        parsedConditions = parsed.data;
      }
      return { path: at, body, conditions: parsedConditions, children: next === undefined ? [] : walk(next, `${at}.next`, depth + 1) };
    });
  };
  const nodes = walk(raw, field, 1);
  if (nodes.length === 0) throw new AppError("request_invalid", `${field}: a run needs at least one task.`, [{ field, message: "empty" }]);
  return nodes;
}

/** Validates every node (options, connections, files) against the project before any row exists. */
export async function prepareTree(scope: ProjectScope, nodes: TreeNode[], defaults: { source?: unknown } = {}): Promise<Prepared[]> {
  const prepare = async (node: TreeNode, isChild: boolean): Promise<Prepared> => {
    try {
      let task: Prepared["task"];
      if (!node.conditions) {
        const body = node.body ?? {};
        const withDefault = !isChild && defaults.source !== undefined && body.url === undefined && body.input === undefined && body.file_id === undefined ? { ...body, input: defaults.source } : body;
        const canonical = node.task ? node.task() : parseTaskRequest(withDefault);
        if (!canonical.source && isChild) canonical.source = { type: "parent" };
        task = await prepareTask(scope, canonical);
      }
      return { node, task, children: await Promise.all(node.children.map((child) => prepare(child, true))) };
    } catch (error) {
      throw withPath(node.path, error);
    }
  };
  return Promise.all(nodes.map((node) => prepare(node, false)));
}

/**
 * The docs' first runs example lists ingest and its consumers side by side: a top-level task with
 * no input of its own takes the output of the run's single top-level ingest.
 */
export function adoptOrphans(nodes: TreeNode[]): TreeNode[] {
  const ingests = nodes.filter((n) => n.body?.kind === "ingest" || n.body?.kind === "import");
  if (ingests.length !== 1) return nodes;
  const ingest = ingests[0]!;
  const hasInput = (n: TreeNode) => ["url", "input", "file_id", "media_id"].some((k) => n.body?.[k] !== undefined) || (isObject(n.body?.options) && (n.body.options.url !== undefined || n.body.options.bucket !== undefined));
  const orphans = nodes.filter((n) => n !== ingest && !hasInput(n));
  if (orphans.length === 0) return nodes;
  return nodes.filter((n) => !orphans.includes(n)).map((n) => (n === ingest ? { ...n, children: [...n.children, ...orphans] } : n));
}

export async function insertTree(tx: Tx, scope: ProjectScope, prepared: Prepared[], links: Pick<TaskLinks, "runId" | "jobId" | "createdBy">): Promise<Task[]> {
  const created: Task[] = [];
  let position = 0;
  const insert = async (item: Prepared, parent: Task | undefined): Promise<void> => {
    let task: Task;
    if (item.task) {
      if (parent && item.task.source?.type === "parent") item.task.mediaId = parent.mediaId ?? undefined;
      task = (await insertTask(tx, scope, item.task, { ...links, parentId: parent?.id, position: position++ })).task;
    } else {
      const input: TTaskInput = { source: { type: "parent" }, requested_kind: "conditions" };
      task = await tx.task.create({
        data: {
          id: newId("task"),
          projectId: scope.projectId,
          kind: "conditions",
          status: "waiting",
          input: input as Prisma.InputJsonValue,
          options: { conditions: item.node.conditions } as Prisma.InputJsonValue,
          mediaId: parent?.mediaId,
          parentId: parent?.id,
          runId: links.runId,
          jobId: links.jobId,
          position: position++,
          createdBy: links.createdBy,
        },
      });
    }
    created.push(task);
    for (const child of item.children) await insert(child, task);
  };
  for (const item of prepared) await insert(item, undefined);
  return created;
}
