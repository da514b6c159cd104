// POST /api/connections/{id}/verify — list the bucket (or the endpoint's buckets) with the saved credentials
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { testConnection } from "@/lib/connections/connections";
import { ZVerifyConnection } from "@/lib/connections/schemas";

export const POST = withApi(
  async (ctx) => {
    const result = await testConnection(ctx.scope, ctx.id, { bucket: ctx.body.bucket });
    return ctx.object({ object: "connection_verification", connection_id: ctx.params.id, ...result });
  },
  { body: ZVerifyConnection },
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
