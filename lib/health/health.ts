// Liveness for load balancers and the e2e server wait: is the database answering? Internals (error text,
// versions) stay in the server log; the answer is only ok or unavailable.
import { db } from "@/lib/db/client";

export type Health = { ok: boolean };

// A probe that hangs is as bad as one that fails: answer within this, whatever the database does.
const PROBE_TIMEOUT_MS = 2_000;
let lastLogged = 0;

export async function checkHealth(options: { ping?: () => Promise<unknown>; timeoutMs?: number } = {}): Promise<Health> {
  const ping =
    options.ping ??
    (async () => {
      const prisma = await db();
      await prisma.$queryRaw`SELECT 1`;
    });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("database did not answer in time")), options.timeoutMs ?? PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([ping(), timeout]);
    return { ok: true };
  } catch (error) {
    // Once a minute at most: a probe every few seconds must not flood the log while the database is down.
    if (Date.now() - lastLogged > 60_000) {
      lastLogged = Date.now();
      console.error("[mediabit] health check failed", error);
    }
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}
