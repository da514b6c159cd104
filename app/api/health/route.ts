// GET /api/health — liveness and database reachability, no auth
import { methodsNotAllowed } from "@/lib/api/with-api";
import { db } from "@/lib/db/client";

export async function GET(): Promise<Response> {
  try {
    const prisma = await db();
    await prisma.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return Response.json({ status: "error", message: (error as Error).message }, { status: 503 });
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
