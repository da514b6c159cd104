"use server";
// Sign-in and sign-up from the auth pages; both end signed in, the client then opens the dashboard.
import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth/session";
import { actionFailure, type ActionResult } from "@/lib/dashboard/action-result";
import { signUp, ZSignUp } from "@/lib/users/users";

const ZSignIn = z.object({
  email: z.string().trim().min(1, "enter your email address"),
  password: z.string().min(1, "enter your password"),
});

async function startSession(email: string, password: string): Promise<ActionResult> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return { ok: true };
  } catch (error) {
    if (error instanceof AuthError && error.type === "CredentialsSignin") {
      return { ok: false, error: "Wrong email or password.", fieldErrors: {} };
    }
    return actionFailure(error);
  }
}

export async function signInAction(input: { email: string; password: string }): Promise<ActionResult> {
  const parsed = ZSignIn.safeParse(input);
  if (!parsed.success) return actionFailure(parsed.error);
  return startSession(parsed.data.email, parsed.data.password);
}

export async function signUpAction(input: { name?: string; email: string; password: string }): Promise<ActionResult> {
  const parsed = ZSignUp.safeParse(input);
  if (!parsed.success) return actionFailure(parsed.error);
  try {
    await signUp(parsed.data);
  } catch (error) {
    return actionFailure(error, { conflictField: "email" });
  }
  return startSession(parsed.data.email, parsed.data.password);
}
