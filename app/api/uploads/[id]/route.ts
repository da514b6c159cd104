// GET /api/uploads/{id} — an upload URL's status and bytes received (the URL itself is shown only at creation)
import { methodsNotAllowed, withApi } from "@/lib/api/with-api";
import { renderUpload } from "@/lib/uploads/render";
import { getUploadOrThrow } from "@/lib/uploads/uploads";

export const GET = withApi(async (ctx) => ctx.object(renderUpload(ctx.profile, await getUploadOrThrow(ctx.scope, ctx.id)), { collection: "/api/uploads" }));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
