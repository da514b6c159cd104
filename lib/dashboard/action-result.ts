// The one result shape of dashboard server actions, and the one mapper from errors to it.
import { unstable_rethrow } from "next/navigation";
import { ZodError } from "zod";
import { AppError } from "@/lib/api/errors";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";

export type FieldErrors = Record<string, string>;
export type ActionFailure = { ok: false; error: string; fieldErrors: FieldErrors };
export type ActionResult<T extends object = object> = ({ ok: true } & T) | ActionFailure;

function zodFieldErrors(error: ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    fieldErrors[field] ??= issue.message;
  }
  return fieldErrors;
}

export const DATABASE_UNAVAILABLE = "The database is unavailable right now. Try again shortly.";

/**
 * Turns what a service threw into a result the form can show. `conflictField` names the field a
 * `conflict` is about (a taken name or email), so the message sits next to it.
 */
export function actionFailure(error: unknown, options: { conflictField?: string } = {}): ActionFailure {
  // redirect() and notFound() travel as exceptions and must reach Next.js untouched.
  unstable_rethrow(error);
  if (error instanceof ZodError) {
    return { ok: false, error: "Check the highlighted fields.", fieldErrors: zodFieldErrors(error) };
  }
  if (error instanceof AppError) {
    const fieldErrors: FieldErrors = {};
    for (const detail of error.details ?? []) if (detail.field) fieldErrors[detail.field] ??= detail.message;
    if (error.code === "conflict" && options.conflictField) fieldErrors[options.conflictField] ??= error.message;
    return { ok: false, error: error.message, fieldErrors };
  }
  if (isDatabaseUnavailable(error)) {
    console.error(`[dashboard] database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return { ok: false, error: DATABASE_UNAVAILABLE, fieldErrors: {} };
  }
  console.error("[dashboard] action failed", error);
  return { ok: false, error: "Something went wrong on the server. Try again; if it keeps happening, check the server log.", fieldErrors: {} };
}
