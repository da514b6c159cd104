// Password hashes: argon2id computed by a native binding in libuv's thread pool, never on the event loop.
// At most MAX_CONCURRENT_HASHES run at once (the rest wait in line), so a flood of sign-ins cannot take
// every pool thread away from file, DNS and zlib work, nor every core away from the event loop. bcrypt hashes from older versions still verify,
// and are replaced by argon2id at the next successful sign-in.
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { hash as argon2Hash, parseOptions as argon2Options, verify as argon2Verify } from "@node-rs/argon2";
import { verify as bcryptVerify } from "@node-rs/bcrypt";

// RFC 9106's second recommendation with one lane: ~130 ms on a 2-core server, 64 MiB per hash in flight.
const ARGON2 = { memoryCost: 65_536, timeCost: 3, parallelism: 1, outputLen: 32 } as const;
// Two at most, and always a core left for the event loop: on a 2-core server one hash at a time (~7 per second).
export const MAX_CONCURRENT_HASHES = Math.max(1, Math.min(2, availableParallelism() - 1));

/** A counting semaphore with a first-come queue. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, so `active` never dips and lets a newcomer jump the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export const hashSlots = new Semaphore(MAX_CONCURRENT_HASHES);

export async function hashPassword(password: string): Promise<string> {
  return hashSlots.run(() => argon2Hash(password, ARGON2));
}

export type PasswordCheck = { isValid: boolean; needsRehash: boolean };

function isCurrentArgon2(stored: string): boolean {
  try {
    const used = argon2Options(stored);
    return used.algorithm === 2 && used.memoryCost === ARGON2.memoryCost && used.timeCost === ARGON2.timeCost && used.parallelism === ARGON2.parallelism;
  } catch {
    return false;
  }
}

/** Checks `password` against a stored argon2 or (legacy) bcrypt hash; a malformed hash never matches. */
export async function verifyPassword(stored: string, password: string): Promise<PasswordCheck> {
  if (/^\$2[abxy]\$/.test(stored)) {
    const isValid = await hashSlots.run(() => bcryptVerify(password, stored));
    return { isValid, needsRehash: isValid };
  }
  if (!stored.startsWith("$argon2")) return { isValid: false, needsRehash: false };
  const isValid = await hashSlots.run(() => argon2Verify(stored, password).catch(() => false));
  return { isValid, needsRehash: isValid && !isCurrentArgon2(stored) };
}

let dummy: Promise<string> | undefined;

/**
 * A real argon2id hash of a random password, made once per process: checking an unknown e-mail's password
 * against it costs what a wrong password costs, so response times do not reveal which accounts exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(18).toString("base64url")).catch((error: unknown) => {
    dummy = undefined;
    throw error;
  });
  return dummy;
}
