// Writes the delivery counts still in memory when the server is stopped (SIGTERM, SIGINT).
import { flushDeliveryStats } from "./delivery-counter";

/** Longest a stop waits for the last write. */
const SHUTDOWN_FLUSH_TIMEOUT_MS = 3_000;

/**
 * `next start` answers the signal with its own cleanup and then `process.exit()` (no hook runs in between), so the exit
 * is held until the last flush settles or times out; without this the counts of the last interval were lost on every
 * stop, not only on a crash.
 */
export function flushDeliveryStatsOnShutdown(): void {
  const hold = () => {
    const exit = process.exit.bind(process);
    const flushed = Promise.race([flushDeliveryStats(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_TIMEOUT_MS))]);
    process.exit = ((code?: number) => void flushed.finally(() => exit(code))) as typeof process.exit;
  };
  process.once("SIGTERM", hold);
  process.once("SIGINT", hold);
}
