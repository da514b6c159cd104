// POST /api/jobs/{id}/cancel — stop a job and its running task
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { cancelJob } from "@/lib/jobs/jobs";
import { presentJob } from "@/lib/jobs/render";

export const POST = withApi(async (ctx) => ctx.object(await presentJob(ctx.profile, await cancelJob(ctx.scope, ctx.id), ctx.info.url.origin), { collection: "/api/jobs" }));

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
