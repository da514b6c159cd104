/** A failure retrying cannot fix (bad input, refused URL): the execution fails at once. */
export class NonRetriableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NonRetriableError";
  }
}

/** This worker no longer holds the execution: nothing it does may be committed. */
export class LeaseLostError extends Error {
  constructor(executionId: string, attempt: number) {
    super(`lost the lease on ${executionId} (attempt ${attempt}); its work is discarded`);
    this.name = "LeaseLostError";
  }
}

export class CancelledError extends Error {
  constructor(message = "cancelled") {
    super(message);
    this.name = "CancelledError";
  }
}

export function isAbortLike(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && (error.name === "AbortError" || error.name === "CancelledError"));
}
