// Dashboard requests: pass the path asked for to the pages (a signed-out visitor is sent to sign in and then
// back to it), and send a browser with no session cookie at all straight to sign in. The pages still check
// the session themselves: a cookie here proves nothing.
import { NextResponse, type NextRequest } from "next/server";
import { loginPathFor, REQUESTED_PATH_HEADER } from "@/lib/auth/callback-path";

const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

export function proxy(request: NextRequest): NextResponse {
  const wanted = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  const hasSessionCookie = request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name));
  // Only page loads: a server action (POST) answers with its own "session ended" result.
  if (!hasSessionCookie && request.method === "GET") return NextResponse.redirect(new URL(loginPathFor(wanted), request.url));
  const headers = new Headers(request.headers);
  headers.set(REQUESTED_PATH_HEADER, wanted);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/dashboard", "/dashboard/:path*"] };
