// Limits on guessing passwords and making accounts, kept in the database (auth_attempts) so every process
// sharing it counts the same attempts. Per client address: failed sign-ins and all sign-ups, refused with
// 429 beyond the limit. Per account: failed sign-ins, each further one slowed down, never locked out.
import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";

export type AttemptAction = "sign_in" | "sign_up";
type Scope = "address" | "account";
type Rule = { limit: number; windowMs: number };

function addressRule(): Rule {
  return { limit: env().MEDIABIT_AUTH_ADDRESS_LIMIT, windowMs: env().MEDIABIT_AUTH_ADDRESS_WINDOW_SECONDS * 1000 };
}

function accountRule(): Rule {
  return { limit: env().MEDIABIT_AUTH_ACCOUNT_LIMIT, windowMs: env().MEDIABIT_AUTH_ACCOUNT_WINDOW_SECONDS * 1000 };
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    super("rate_limited", `Too many attempts from your network. Try again in ${minutes === 1 ? "a minute" : `${minutes} minutes`}.`);
  }
}

/** Seconds until the address is under its limit again: when the `limit`-th newest attempt leaves the window. */
async function secondsUntilFree(subject: string, rule: Rule, now: Date): Promise<number | null> {
  const prisma = await db();
  const since = new Date(now.getTime() - rule.windowMs);
  const [pivot] = await prisma.authAttempt.findMany({
    where: { scope: "address", subject, createdAt: { gt: since } },
    orderBy: { createdAt: "desc" },
    skip: rule.limit - 1,
    take: 1,
    select: { createdAt: true },
  });
  if (!pivot) return null;
  return Math.max(1, Math.ceil((pivot.createdAt.getTime() + rule.windowMs - now.getTime()) / 1000));
}

/** A read-only check for entry points that answer before any work (the next-auth credentials endpoint). */
export async function addressRetryAfter(address: string, now = new Date()): Promise<number | null> {
  return secondsUntilFree(address, addressRule(), now);
}

/**
 * Records an attempt, then counts the earlier ones in the window. Two statements on purpose: the insert
 * commits first, so attempts arriving together (on any process) see each other and a burst cannot slip past
 * the limit, which one INSERT … SELECT statement would allow (each sees a snapshot without the others' rows).
 */
async function recordAndCount(input: { scope: Scope; subject: string; action: AttemptAction; now: Date; windowMs: number }): Promise<{ id: string; earlier: number }> {
  const prisma = await db();
  const id = newId("att");
  await prisma.authAttempt.create({ data: { id, scope: input.scope, subject: input.subject, action: input.action, createdAt: input.now } });
  const earlier = await prisma.authAttempt.count({
    where: { scope: input.scope, subject: input.subject, createdAt: { gt: new Date(input.now.getTime() - input.windowMs) }, id: { not: id } },
  });
  return { id, earlier };
}

/**
 * Counts an attempt from `address`, or throws RateLimitedError when the address already used its limit.
 * Recorded before counting, so concurrent attempts see each other and a burst cannot slip past the limit.
 */
export async function reserveAddressAttempt(address: string, action: AttemptAction, now = new Date()): Promise<string> {
  const rule = addressRule();
  const { id, earlier } = await recordAndCount({ scope: "address", subject: address, action, now, windowMs: rule.windowMs });
  if (earlier < rule.limit) return id;
  const prisma = await db();
  await prisma.authAttempt.deleteMany({ where: { id } });
  throw new RateLimitedError((await secondsUntilFree(address, rule, now)) ?? 1);
}

/** Counts a sign-in attempt on an account (the lower-cased e-mail, existing or not); `isSlowed` past its limit. */
export async function reserveAccountAttempt(email: string, now = new Date()): Promise<{ id: string; isSlowed: boolean }> {
  const rule = accountRule();
  const subject = email.trim().toLowerCase();
  const { id, earlier } = await recordAndCount({ scope: "account", subject, action: "sign_in", now, windowMs: rule.windowMs });
  return { id, isSlowed: earlier >= rule.limit };
}

/** The pause before checking a password on an account past its failure limit. */
export async function slowDown(): Promise<void> {
  await sleep(env().MEDIABIT_AUTH_ACCOUNT_DELAY_MS);
}

/** A successful sign-in does not count against anyone. */
export async function forgetAttempts(ids: string[]): Promise<void> {
  const prisma = await db();
  await prisma.authAttempt.deleteMany({ where: { id: { in: ids } } });
}

/** Maintenance: attempts older than the longest window no longer count. */
export async function purgeOldAuthAttempts(now = new Date()): Promise<number> {
  const longest = Math.max(addressRule().windowMs, accountRule().windowMs);
  const prisma = await db();
  const { count } = await prisma.authAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - longest) } } });
  return count;
}
