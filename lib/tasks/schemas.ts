import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";

export const ZListTasks = ZListQuery.extend({
  kind: z.string().optional(),
  status: z.string().optional(),
  run_id: z.string().optional(),
  job_id: z.string().optional(),
  created_by: z.string().optional(),
});
export type TListTasks = z.infer<typeof ZListTasks>;

/** POST /tasks takes four shapes (tasks.md §1): the body is read by normalizeTaskRequest. */
export const ZTaskBody = z.record(z.string(), z.unknown());
