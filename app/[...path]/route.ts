// GET/HEAD /{folder…}/{filename} on a project's active custom domain — its files (see lib/domains/host-delivery.ts);
// any other path no route claims, on any host, is a 404. Only reached when no page or route matches.
import { deliverForHost } from "@/lib/domains/host-delivery";

type Params = { params: Promise<{ path: string[] }> };

async function handle(request: Request, { params }: Params): Promise<Response> {
  const { path } = await params;
  return deliverForHost(request, path);
}

function notFound(): Response {
  return Response.json({ kind: "not_found", message: "Nothing lives at this address." }, { status: 404, headers: { "Cache-Control": "no-store" } });
}

export const GET = handle;
export const HEAD = handle;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
