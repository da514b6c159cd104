// Spawns one media tool with a wall-clock limit and cancellation; the only child_process user in lib/media.
import { spawn } from "node:child_process";

type TExited<TReason extends string> = { reason: TReason; exitCode: number | null; signal: NodeJS.Signals | null; stderrTail: string };

/** How a tool ended: on its own, stopped by us (timeout, abort, too much output), or never started. */
export type TProcessEnd =
  | TExited<"exit">
  | TExited<"timeout">
  | TExited<"aborted">
  | TExited<"overflow">
  | { reason: "spawn"; error: Error; stderrTail: string };

export type TRunProcessOptions = {
  signal?: AbortSignal;
  timeoutMs: number;
  onStdout?: (chunk: string) => void;
  onSpawn?: (pid: number) => void;
  /** Collect stdout (ffprobe JSON); capped so a hostile file cannot balloon memory. */
  captureStdout?: boolean;
  maxStdoutBytes?: number;
};

export type TProcessResult = { end: TProcessEnd; stdout: string };

// How long a tool gets to exit after SIGTERM before SIGKILL: ffmpeg finishes its current packet in well under this.
export const KILL_GRACE_MS = 2000;
const STDERR_TAIL_LINES = 20;
const STDERR_KEEP_BYTES = 16 * 1024;

/** Last `STDERR_TAIL_LINES` lines of what a tool wrote to stderr, kept in bounded memory. */
export function tailLines(text: string, lines = STDERR_TAIL_LINES): string {
  return text.split(/\r?\n/).filter((line) => line.trim() !== "").slice(-lines).join("\n");
}

/** What a cancelled operation rejects with: the signal's own reason, as fetch() does. */
export function abortReason(signal: AbortSignal | undefined): unknown {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException("The operation was aborted.", "AbortError");
}

/** Runs `command args`, never with a shell; resolves (never rejects) with how it ended. */
export function runProcess(command: string, args: readonly string[], options: TRunProcessOptions): Promise<TProcessResult> {
  const { signal, timeoutMs, onStdout, onSpawn, captureStdout = false, maxStdoutBytes = 16 * 1024 * 1024 } = options;
  return new Promise((resolve) => {
    let stderr = "";
    const stdoutChunks: string[] = [];
    let stdoutBytes = 0;
    let stopReason: "timeout" | "aborted" | "overflow" | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    if (signal?.aborted) {
      resolve({ end: { reason: "aborted", exitCode: null, signal: null, stderrTail: "" }, stdout: "" });
      return;
    }

    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });

    const stop = (reason: "timeout" | "aborted" | "overflow") => {
      if (stopReason || child.exitCode !== null || child.signalCode !== null) return;
      stopReason = reason;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
      killTimer.unref();
    };
    const onAbort = () => stop("aborted");
    const wallClock = setTimeout(() => stop("timeout"), timeoutMs);
    wallClock.unref();
    signal?.addEventListener("abort", onAbort, { once: true });

    const finish = (end: TProcessEnd) => {
      if (settled) return;
      settled = true;
      clearTimeout(wallClock);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener("abort", onAbort);
      resolve({ end, stdout: stdoutChunks.join("") });
    };

    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      onStdout?.(chunk);
      if (!captureStdout || stdoutBytes > maxStdoutBytes) return;
      stdoutBytes += Buffer.byteLength(chunk);
      if (stdoutBytes > maxStdoutBytes) stop("overflow");
      else stdoutChunks.push(chunk);
    });
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP_BYTES);
    });
    child.once("spawn", () => {
      if (child.pid !== undefined) onSpawn?.(child.pid);
    });
    child.once("error", (error) => finish({ reason: "spawn", error, stderrTail: tailLines(stderr) }));
    child.once("close", (exitCode, exitSignal) => {
      const stderrTail = tailLines(stderr);
      if (stopReason) finish({ reason: stopReason, exitCode, signal: exitSignal, stderrTail });
      else finish({ reason: "exit", exitCode, signal: exitSignal, stderrTail });
    });
  });
}
