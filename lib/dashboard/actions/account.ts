"use server";
// Changing one's password: every other session ends; this browser is signed in again with the new password.
import { headers } from "next/headers";
import { z } from "zod";
import { changePasswordLimited } from "@/lib/auth/credentials";
import { signIn } from "@/lib/auth/session";
import { userAction } from "@/lib/dashboard/action";
import { clientAddress } from "@/lib/net/client-address";
import { ZPassword } from "@/lib/users/users";

const ZChangePassword = z
  .object({
    currentPassword: z.string().min(1, "enter your current password").max(200, "this is not your current password"),
    newPassword: ZPassword,
    confirmPassword: z.string().max(200),
  })
  .refine((input) => input.newPassword === input.confirmPassword, { path: ["confirmPassword"], message: "type the same new password twice" });

export const changePasswordAction = userAction(ZChangePassword, async ({ user }, input) => {
  const { email } = await changePasswordLimited({ userId: user.id, ...input, address: clientAddress(await headers()) });
  try {
    await signIn("credentials", { email, password: input.newPassword, redirect: false });
    return { ok: true, isSignedIn: true };
  } catch {
    // The password is changed either way; the page sends the person to sign in with it.
    return { ok: true, isSignedIn: false };
  }
});
