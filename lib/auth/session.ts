// Dashboard sessions (next-auth, credentials + JWT) and the project a signed-in person acts on.
import { createHmac } from "node:crypto";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { env, serverSecret } from "@/lib/env";
import type { ProjectScope } from "@/lib/keys/keys";
import { bumpSessionVersion, listUserProjects, verifyCredentials, type UserProject } from "@/lib/users/users";

export const PROJECT_COOKIE = "mb_project";
const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

const ZCredentials = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(200) });

let hasWarnedStaleSession = false;

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
        async authorize(raw) {
          const parsed = ZCredentials.safeParse(raw);
          if (!parsed.success) return null;
          const user = await verifyCredentials(parsed.data.email, parsed.data.password);
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
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

export type SessionUser = { id: string; email: string; name: string | null };

export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { id: user.id, email: user.email, name: user.name ?? null };
});

/** The signed-in person, or a redirect to the sign-in page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}

export type DashboardContext = { user: SessionUser; project: UserProject; projects: UserProject[]; scope: ProjectScope };

/**
 * The project chosen by the `mb_project` cookie when it is one of the user's, else their first.
 * An account without any project (removed from its organisations) is sent to sign in again.
 */
export const currentProject = cache(async (): Promise<DashboardContext> => {
  const user = await requireUser();
  const projects = await listUserProjects(user.id);
  const wanted = (await cookies()).get(PROJECT_COOKIE)?.value;
  const project = projects.find((p) => p.id === wanted) ?? projects[0];
  if (!project) redirect("/login?error=no-project");
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

/** Signs out and ends every session of this person that carries the current version (all devices). */
export async function endSession(options: { redirectTo: string }): Promise<void> {
  const user = await getSessionUser();
  if (user) await bumpSessionVersion(user.id);
  await signOut(options);
}

export async function setProjectCookie(projectId: string): Promise<void> {
  const secure = (await headers()).get("x-forwarded-proto") === "https" || env().MEDIABIT_PUBLIC_URL?.startsWith("https:") === true;
  (await cookies()).set(PROJECT_COOKIE, projectId, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: 365 * 24 * 60 * 60 });
}

export async function clearProjectCookie(): Promise<void> {
  (await cookies()).delete(PROJECT_COOKIE);
}
