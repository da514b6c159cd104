// How a step's error ends a task: the caller's fault (bad URL, not media, refused address) fails at
// once with a kind and a message; anything else is retried by the engine.
import { AppError } from "@/lib/api/errors";
import { NonRetriableError } from "@/lib/engine/errors";
import { FfmpegError } from "@/lib/media/ffmpeg";
import { OutboundBlockedError } from "@/lib/net/outbound";
import { redactError } from "@/lib/net/redact";

export class TaskFailure extends NonRetriableError {
  readonly kind: string;

  constructor(kind: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TaskFailure";
    this.kind = kind;
  }
}

function asTaskFailure(error: unknown): unknown {
  redactError(error);
  if (error instanceof TaskFailure) return error;
  if (error instanceof AppError) return new TaskFailure(error.code, error.message, { cause: error });
  if (error instanceof OutboundBlockedError) return new TaskFailure("invalid_input", `The source URL was refused: ${error.message}.`, { cause: error });
  // The same input fails the same way again: retrying an encoder failure only wastes time.
  if (error instanceof FfmpegError) return new TaskFailure("processing_failed", error.message, { cause: error });
  return error;
}

/** Runs a step body and converts its errors. */
export async function failing<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asTaskFailure(error);
  }
}
