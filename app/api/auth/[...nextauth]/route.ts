// GET|POST /api/auth/* — next-auth's endpoints (session, csrf, sign-in callback, sign-out); the credentials
// callback is refused with 429 + Retry-After for a client address over its sign-in limit.
import { handleAuthPost, handlers } from "@/lib/auth/session";

export const { GET } = handlers;
export const POST = handleAuthPost;
