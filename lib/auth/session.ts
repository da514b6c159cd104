// Dashboard sessions (next-auth, credentials + JWT) and the project a signed-in person acts on.
import { createHmac } from "node:crypto";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cookies, headers } from "next/headers";
import type { NextRequest } from "next/server";
import { redirect } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { loginPathFor, REQUESTED_PATH_HEADER } from "@/lib/auth/callback-path";
import { addressWait, authenticate } from "@/lib/auth/credentials";
import { addressRetryAfter, RateLimitedError } from "@/lib/auth/rate-limit";
import { env, serverSecret } from "@/lib/env";
import type { ProjectScope } from "@/lib/keys/keys";
import { clientAddress } from "@/lib/net/client-address";
import { ORG_COOKIE, pickProject } from "@/lib/teams/current-org";
import { endSessionsOf, listUserProjects, sessionSubject, type UserProject } from "@/lib/users/users";

export const PROJECT_COOKIE = "mb_project";
const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

const ZCredentials = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(200) });

let hasWarnedStaleSession = false;

/** authorize() refused before checking the password: the client address is over its limit. */
export class RateLimitedSignin extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

type AuthorizedUser = { id: string; email: string; name: string | null; sessionVersion: number };

/** A separate key from the one that encrypts connection secrets, so leaking one exposes nothing of the other. */
function authSecret(): string {
  return env().AUTH_SECRET ?? createHmac("sha256", serverSecret()).update("mediabit/auth-session").digest("base64url");
}

// Built lazily (per request) so `next build` never reads the data dir to derive the secret.
function authConfig(): NextAuthConfig {
  return {
    secret: authSecret(),
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      Credentials({
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, request) {
          const parsed = ZCredentials.safeParse(raw);
          if (!parsed.success) return null;
          try {
            const user = await authenticate({ ...parsed.data, address: clientAddress(request.headers) });
            if (!user) return null;
            const authorized: AuthorizedUser = { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
            return authorized;
          } catch (error) {
            if (error instanceof RateLimitedError) throw new RateLimitedSignin(error.retryAfterSeconds);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      // Stateless tokens live 30 days: every use re-reads the user, so a deleted user or a token from before
      // a sign-out or password change (another sessionVersion) is signed out at once.
      async jwt({ token, user }) {
        if (user?.id) {
          token.sub = user.id;
          token.sv = (user as Partial<AuthorizedUser>).sessionVersion;
          return token;
        }
        if (!token.sub || typeof token.sv !== "number") return null;
        const subject = await sessionSubject(token.sub);
        if (!subject || subject.sessionVersion !== token.sv) return null;
        token.email = subject.email;
        token.name = subject.name;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      // Every way out (the dashboard's sign-out, POST /api/auth/signout) ends all of this person's sessions.
      // Only a current token counts: replaying an already ended one cannot sign the person out again.
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (token?.sub && typeof token.sv === "number") await endSessionsOf(token.sub, token.sv);
      },
    },
    logger: {
      error(error) {
        const type = (error as { type?: string }).type;
        // A wrong password is an expected outcome shown on the form, not a server error.
        if (error instanceof CredentialsSignin || type === "CredentialsSignin") return;
        // A cookie signed with an older secret just means "signed out"; say so once, not on every request.
        if (type === "JWTSessionError") {
          if (!hasWarnedStaleSession) console.warn("[auth] ignoring a session cookie this server cannot decrypt (signed with another secret); its holder must sign in again");
          hasWarnedStaleSession = true;
          return;
        }
        console.error("[auth]", error);
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig());

function rateLimitedResponse(retryAfter: number): Response {
  const error = new RateLimitedError(retryAfter);
  return Response.json(
    { error: { kind: "rate_limited", message: error.message } },
    { status: 429, headers: { "Retry-After": String(retryAfter), "Cache-Control": "no-store" } },
  );
}

/**
 * next-auth's POST endpoints. The credentials callback answers 429 with Retry-After for an address over its
 * limit before next-auth runs; one that got past this check at the same moment as others is refused by
 * authorize(), which next-auth reports as a redirect with `code=rate_limited`: that too becomes the 429.
 */
export async function handleAuthPost(request: NextRequest): Promise<Response> {
  if (!new URL(request.url).pathname.endsWith("/callback/credentials")) return handlers.POST(request);
  const address = clientAddress(request.headers);
  const retryAfter = await addressWait(address);
  if (retryAfter !== null) return rateLimitedResponse(retryAfter);
  const response = await handlers.POST(request);
  const location = response.headers.get("location") ?? "";
  if (!location.includes("code=rate_limited")) return response;
  return rateLimitedResponse((await addressRetryAfter(address)) ?? 1);
}

export type SessionUser = { id: string; email: string; name: string | null };

export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { id: user.id, email: user.email, name: user.name ?? null };
});

/** The signed-in person, or a redirect to the sign-in page that returns to the page asked for. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(loginPathFor((await headers()).get(REQUESTED_PATH_HEADER)));
  return user;
}

export type DashboardContext = { user: SessionUser; project: UserProject; projects: UserProject[]; scope: ProjectScope };

/**
 * The project chosen by the cookies (pickProject: `mb_project`, else the organisation in `mb_org`, else the first).
 * With none to show (no organisation left, or an organisation without projects), the overview explains why.
 */
export const currentProject = cache(async (): Promise<DashboardContext> => {
  const user = await requireUser();
  const projects = await listUserProjects(user.id);
  const jar = await cookies();
  const project = pickProject(projects, { projectId: jar.get(PROJECT_COOKIE)?.value, orgId: jar.get(ORG_COOKIE)?.value });
  if (!project) redirect("/dashboard");
  return { user, project, projects, scope: { projectId: project.id, orgId: project.orgId } };
});

/**
 * Scope for a mutation on the project the page was rendered for: it must still be one of the
 * user's projects (another tab may have switched the cookie; that must not redirect the write).
 */
export async function projectScopeFor(projectId: string): Promise<{ user: SessionUser; project: UserProject; scope: ProjectScope }> {
  const user = await getSessionUser();
  if (!user) throw new AppError("token_missing", "Your session has ended. Sign in again.");
  const project = (await listUserProjects(user.id)).find((p) => p.id === projectId);
  if (!project) throw new AppError("project_not_found", "This project does not exist or you are no longer a member of it. Reload the page.");
  return { user, project, scope: { projectId: project.id, orgId: project.orgId } };
}

/** Signs out; the signOut event ends every session of this person that carries the current version (all devices). */
export async function endSession(options: { redirectTo: string }): Promise<void> {
  await signOut(options);
}

export async function setProjectCookie(projectId: string): Promise<void> {
  const secure = (await headers()).get("x-forwarded-proto") === "https" || env().MEDIABIT_PUBLIC_URL?.startsWith("https:") === true;
  (await cookies()).set(PROJECT_COOKIE, projectId, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: 365 * 24 * 60 * 60 });
}

export async function clearProjectCookie(): Promise<void> {
  (await cookies()).delete(PROJECT_COOKIE);
}
