// What is running on this machine, for tests that check a child process was stopped.
import { readdirSync, readFileSync } from "node:fs";

/** Processes whose command line mentions `text` (an ffmpeg writing into a test's or a task's folder). */
export function processesMentioning(text: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}
