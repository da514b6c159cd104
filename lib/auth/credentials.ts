// Every way in goes through these two: next-auth's authorize() (the sign-in form and POST
// /api/auth/callback/credentials) and the sign-up action. Both apply the attempt limits around the work.
import { AppError } from "@/lib/api/errors";
import { MAX_CONCURRENT_HASHES, Semaphore } from "@/lib/auth/passwords";
import { addressRetryAfter, forgetAttempts, reserveAccountAttempt, reserveAddressAttempt, slowDown } from "@/lib/auth/rate-limit";
import type { User } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { changePassword, signUp, SIGNUP_REFUSALS, verifyCredentials, type TSignUp } from "@/lib/users/users";

/**
 * Sign-in work in progress at once in this process (its database statements and its hash). A flood waits here
 * instead of queueing hundreds of statements ahead of everyone else's (the embedded database runs one at a time).
 */
export const signInSlots = new Semaphore(MAX_CONCURRENT_HASHES * 2);

/** The credentials endpoint's check before next-auth runs: seconds to wait, or null when the address may try. */
export async function addressWait(address: string): Promise<number | null> {
  return signInSlots.run(() => addressRetryAfter(address));
}

/**
 * The user whose credentials these are, or null. Throws RateLimitedError when the address is over its limit
 * (the password is then not checked at all); an account past its failure limit is slowed, not refused.
 */
export async function authenticate(input: { email: string; password: string; address: string }): Promise<User | null> {
  const attempts = await signInSlots.run(async () => {
    const address = await reserveAddressAttempt(input.address, "sign_in");
    return { address, account: await reserveAccountAttempt(input.email) };
  });
  // Outside the slots: a slowed account must not hold up anyone else.
  if (attempts.account.isSlowed) await slowDown();
  return signInSlots.run(async () => {
    const user = await verifyCredentials(input.email, input.password);
    if (user) await forgetAttempts([attempts.address, attempts.account.id]);
    return user;
  });
}

/** Sign-up under the server's policy, counted against the address (whatever the outcome). */
export async function registerAccount(input: TSignUp & { address: string }): Promise<User> {
  const policy = env().MEDIABIT_SIGNUP;
  // Refusals that need no work are not counted: they cost nothing and reveal nothing.
  if (policy === "closed") throw new AppError("signup_closed", SIGNUP_REFUSALS.closed);
  if (policy === "invite" && !input.invitation) throw new AppError("signup_closed", SIGNUP_REFUSALS.invite);
  await reserveAddressAttempt(input.address, "sign_up");
  const { address: _address, ...account } = input;
  return signUp(account, policy);
}

/** A password change, its current-password check counted against the address like a sign-in. */
export async function changePasswordLimited(input: { userId: string; currentPassword: string; newPassword: string; address: string }): Promise<{ email: string }> {
  const attempt = await reserveAddressAttempt(input.address, "sign_in");
  const changed = await changePassword(input.userId, input);
  await forgetAttempts([attempt]);
  return { email: changed.email };
}
