// GET /api/jobs — list jobs (kind, status, input filters) · POST /api/jobs — input → probe → import → encode → export
import { pageModeFor } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { ZCreateJob, ZListJobs, createJob, listJobs } from "@/lib/jobs/jobs";
import { presentJob, presentJobs } from "@/lib/jobs/render";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listJobs(ctx.scope, ctx.query, pageModeFor(ctx.profile));
    return ctx.list(await presentJobs(ctx.profile, items, ctx.info.url.origin), page);
  },
  { query: ZListJobs },
);

export const POST = withApi(
  async (ctx) => ctx.object(await presentJob(ctx.profile, await createJob(ctx.scope, ctx.body, { createdBy: ctx.auth.keyId }), ctx.info.url.origin), { status: 201, collection: "/api/jobs" }),
  { body: ZCreateJob },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
