// GET /api/analytics/media/{id} — one media item's delivery and processing (kept after the item is deleted)
import { getMediaUsage } from "@/lib/analytics/analytics";
import { renderUsage } from "@/lib/analytics/render";
import { ZAnalyticsQuery } from "@/lib/analytics/schemas";
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";

export const GET = withApi(async (ctx) => ctx.object(renderUsage(await getMediaUsage(ctx.scope, ctx.id, ctx.query))), { query: ZAnalyticsQuery });

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
