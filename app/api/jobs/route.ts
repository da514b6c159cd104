// GET /api/jobs — list jobs (kind, status, input filters) · POST /api/jobs — input → probe → import → encode → export
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { ZCreateJob, ZListJobs, createJob, listJobs } from "@/lib/jobs/jobs";
import { renderJob } from "@/lib/jobs/render";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listJobs(ctx.scope, ctx.query, ctx.profile);
    return ctx.list(await Promise.all(items.map((job) => renderJob(ctx.profile, job, ctx.info.url.origin))), page);
  },
  { query: ZListJobs },
);

export const POST = withApi(
  async (ctx) => ctx.object(await renderJob(ctx.profile, await createJob(ctx.scope, ctx.body, { createdBy: ctx.auth.keyId }), ctx.info.url.origin), { status: 201, collection: "/api/jobs" }),
  { body: ZCreateJob },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
