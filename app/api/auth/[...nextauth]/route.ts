// GET|POST /api/auth/* — next-auth's endpoints (session, csrf, sign-in callback, sign-out)
import { handlers } from "@/lib/auth/session";

export const { GET, POST } = handlers;
