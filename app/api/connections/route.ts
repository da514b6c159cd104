// GET /api/connections — list connections · POST /api/connections — create one
import { ZListQuery, pageModeFor } from "@/lib/api/pagination";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { createConnection, listConnections } from "@/lib/connections/connections";
import { renderConnection } from "@/lib/connections/render";
import { ZCreateConnection } from "@/lib/connections/schemas";

export const GET = withApi(
  async (ctx) => {
    const { items, page } = await listConnections(ctx.scope, ctx.query, pageModeFor(ctx.profile));
    return ctx.list(items.map((c) => renderConnection(ctx.profile, c)), page);
  },
  { query: ZListQuery },
);

export const POST = withApi(
  async (ctx) => ctx.object(renderConnection(ctx.profile, await createConnection(ctx.scope, ctx.body)), { status: 201, collection: "/api/connections" }),
  { body: ZCreateConnection },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
