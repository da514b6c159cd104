"use server";
// The tasks, runs and jobs pages: their lists and details (polled while anything runs), cancel and retry.
import { z } from "zod";
import { projectAction } from "@/lib/dashboard/action";
import { publicOrigin } from "@/lib/dashboard/origin";
import {
  ZActivityFilters,
  getJobView,
  getRunView,
  getTaskView,
  listJobActivity,
  listRunActivity,
  listTaskActivity,
  type ActivityPage,
  type JobView,
  type RunView,
  type TaskView,
} from "@/lib/dashboard/queries";
import { retryTask } from "@/lib/dashboard/retry-task";
import { cancelJob } from "@/lib/jobs/jobs";
import { cancelRun } from "@/lib/runs/runs";
import { cancelTask } from "@/lib/tasks/tasks";

const ZProject = z.strictObject({ projectId: z.string().min(1).max(100) });
const ZList = ZProject.extend(ZActivityFilters.shape);
const ZOne = ZProject.extend({ id: z.string().trim().min(1).max(100) });

export const listTasksAction = projectAction(ZList, async ({ scope }, { projectId: _, ...filters }): Promise<{ ok: true; page: ActivityPage<TaskView> }> => ({
  ok: true,
  page: await listTaskActivity(scope, filters, await publicOrigin()),
}));

export const listRunsAction = projectAction(ZList, async ({ scope }, { projectId: _, ...filters }): Promise<{ ok: true; page: ActivityPage<RunView> }> => ({
  ok: true,
  page: await listRunActivity(scope, filters, await publicOrigin()),
}));

export const listJobsAction = projectAction(ZList, async ({ scope }, { projectId: _, ...filters }): Promise<{ ok: true; page: ActivityPage<JobView> }> => ({
  ok: true,
  page: await listJobActivity(scope, filters, await publicOrigin()),
}));

export const getTaskAction = projectAction(ZOne, async ({ scope }, { id }): Promise<{ ok: true; task: TaskView }> => ({ ok: true, task: await getTaskView(scope, id, await publicOrigin()) }));

export const getRunAction = projectAction(ZOne, async ({ scope }, { id }): Promise<{ ok: true; run: RunView }> => ({ ok: true, run: await getRunView(scope, id, await publicOrigin()) }));

export const getJobAction = projectAction(ZOne, async ({ scope }, { id }): Promise<{ ok: true; job: JobView }> => ({ ok: true, job: await getJobView(scope, id, await publicOrigin()) }));

export const cancelTaskAction = projectAction(ZOne, async ({ scope }, { id }): Promise<{ ok: true; status: string }> => ({ ok: true, status: (await cancelTask(scope, id)).status }));

export const cancelRunAction = projectAction(ZOne, async ({ scope }, { id }): Promise<{ ok: true; status: string }> => ({ ok: true, status: (await cancelRun(scope, id)).status }));

export const cancelJobAction = projectAction(ZOne, async ({ scope }, { id }): Promise<{ ok: true; status: string }> => ({ ok: true, status: (await cancelJob(scope, id)).status }));

export const retryTaskAction = projectAction(ZOne, async ({ user, scope }, { id }): Promise<{ ok: true; taskId: string }> => ({ ok: true, taskId: (await retryTask(scope, id, { createdBy: user.id })).id }));
