// GET /api/jobs/{id} — one job with its pipeline tasks
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { getJobOrThrow } from "@/lib/jobs/jobs";
import { presentJob } from "@/lib/jobs/render";

export const GET = withApi(async (ctx) => ctx.object(await presentJob(ctx.profile, await getJobOrThrow(ctx.scope, ctx.id), ctx.info.url.origin), { collection: "/api/jobs" }));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
