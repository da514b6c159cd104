"use server";
// Sign-in and sign-up from the auth pages; both end signed in and tell the client where to go next.
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { afterSignInPath } from "@/lib/auth/callback-path";
import { registerAccount } from "@/lib/auth/credentials";
import { RateLimitedError } from "@/lib/auth/rate-limit";
import { RateLimitedSignin, signIn } from "@/lib/auth/session";
import { actionFailure, type ActionResult } from "@/lib/dashboard/action-result";
import { clientAddress } from "@/lib/net/client-address";
import { ZSignUp } from "@/lib/users/users";

const ZSignIn = z.object({
  email: z.string().trim().min(1, "enter your email address").max(320, "enter your email address"),
  password: z.string().min(1, "enter your password").max(200, "wrong email or password"),
  // Anything unusable falls back to the dashboard (afterSignInPath), never a validation error.
  callbackUrl: z.unknown().optional(),
});

type Signed = ActionResult<{ redirectTo: string }>;

async function startSession(email: string, password: string, redirectTo: string): Promise<Signed> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return { ok: true, redirectTo };
  } catch (error) {
    if (error instanceof RateLimitedSignin) return actionFailure(new RateLimitedError(error.retryAfterSeconds));
    if (error instanceof AuthError && error.type === "CredentialsSignin") {
      return { ok: false, error: "Wrong email or password.", fieldErrors: {} };
    }
    return actionFailure(error);
  }
}

export async function signInAction(input: z.input<typeof ZSignIn>): Promise<Signed> {
  const parsed = ZSignIn.safeParse(input);
  if (!parsed.success) return actionFailure(parsed.error);
  return startSession(parsed.data.email, parsed.data.password, afterSignInPath(parsed.data.callbackUrl));
}

export async function signUpAction(input: z.input<typeof ZSignUp>): Promise<Signed> {
  const parsed = ZSignUp.safeParse(input);
  if (!parsed.success) return actionFailure(parsed.error);
  try {
    await registerAccount({ ...parsed.data, address: clientAddress(await headers()) });
  } catch (error) {
    return actionFailure(error, { conflictField: "email" });
  }
  return startSession(parsed.data.email, parsed.data.password, "/dashboard");
}
