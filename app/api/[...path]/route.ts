// Any /api path no route claims: a 404 in the caller's error shape
import { AppError } from "@/lib/api/errors";
import { respondWithError } from "@/lib/api/with-api";

function unknownRoute(request: Request): Response {
  const { pathname } = new URL(request.url);
  return respondWithError(request, new AppError("not_found", `No API route ${request.method} ${pathname}. See the API reference in README.md.`));
}

export const GET = unknownRoute;
export const POST = unknownRoute;
export const PUT = unknownRoute;
export const PATCH = unknownRoute;
export const DELETE = unknownRoute;
