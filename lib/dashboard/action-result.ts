// The one result shape of dashboard server actions, and the one mapper from errors to it.
import { unstable_rethrow } from "next/navigation";
import { ZodError, type z } from "zod";
import { AppError } from "@/lib/api/errors";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";

export type FieldErrors = Record<string, string>;
export type ActionFailure = { ok: false; error: string; fieldErrors: FieldErrors };
export type ActionResult<T extends object = object> = ({ ok: true } & T) | ActionFailure;

// zod's own English messages ("Too small: expected string to have >=1 characters") start like this; ours never do.
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized key)/;

/** A person's words for an issue that kept zod's default message; a schema's own message is kept. */
export function humanIssueMessage(issue: z.core.$ZodIssue): string {
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "fill this in" : `use at least ${issue.minimum} characters`;
      if (issue.origin === "array" || issue.origin === "set") return `choose at least ${issue.minimum}`;
      return `use a value of at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "string") return `use at most ${issue.maximum} characters`;
      if (issue.origin === "array" || issue.origin === "set") return `choose at most ${issue.maximum}`;
      return `use a value of at most ${issue.maximum}`;
    case "invalid_format":
      if (issue.format === "email") return "enter an email address, e.g. name@example.com";
      if (issue.format === "url") return "enter a full URL, starting with https://";
      return "this is not in the expected format";
    case "invalid_value":
      return issue.values.length <= 5 ? `choose one of: ${issue.values.map(String).join(", ")}` : "choose one of the offered values";
    case "invalid_type":
      return "fill this in with a valid value";
    case "unrecognized_keys":
      return "the form sent something the server does not expect; reload the page and try again";
    default:
      return "check this value";
  }
}

function zodFieldErrors(error: ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    fieldErrors[field] ??= humanIssueMessage(issue);
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
