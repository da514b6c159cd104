// GET /api/health — liveness and database reachability, no auth, no internals
import { methodsNotAllowed } from "@/lib/api/with-api";
import { checkHealth } from "@/lib/health/health";

export async function GET(): Promise<Response> {
  const { ok } = await checkHealth();
  return Response.json({ status: ok ? "ok" : "unavailable" }, { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
