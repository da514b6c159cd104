"use client";

import { useMutation } from "@tanstack/react-query";
import type { ActionFailure, ActionResult } from "@/lib/dashboard/action-result";

const UNREACHABLE: ActionFailure = {
  ok: false,
  error: "Could not reach the server. Check your connection and try again.",
  fieldErrors: {},
};

/**
 * A server action as a react-query mutation. `failure` is the action's own `{ ok: false }` result,
 * or a network failure in the same shape, so forms handle one kind of error.
 */
export function useAction<TInput, TData extends object>(
  action: (input: TInput) => Promise<ActionResult<TData>>,
  options: { onOk?: (result: { ok: true } & TData, input: TInput) => void } = {},
) {
  const mutation = useMutation({
    mutationFn: action,
    onSuccess: (result, input) => {
      if (result.ok) options.onOk?.(result, input);
    },
  });
  const result = mutation.data;
  const failure: ActionFailure | undefined = mutation.isError ? UNREACHABLE : result && !result.ok ? result : undefined;
  return {
    run: mutation.mutate,
    isPending: mutation.isPending,
    /** True from success until the next run (e.g. while the router navigates away). */
    isDone: result?.ok === true,
    data: result?.ok ? result : undefined,
    failure,
    /** The form-level message, given the fields the form shows errors next to. */
    formError: (fields: readonly string[]) => formErrorOf(failure, fields),
    variables: mutation.variables,
    reset: mutation.reset,
  };
}

/** The whole message when no field claims it; else only what no field of this form can show. */
function formErrorOf(failure: ActionFailure | undefined, fields: readonly string[]): string | undefined {
  if (!failure) return undefined;
  const entries = Object.entries(failure.fieldErrors);
  if (entries.length === 0) return failure.error;
  const orphans = entries.filter(([field]) => !fields.includes(field));
  return orphans.length > 0 ? orphans.map(([field, message]) => `${field}: ${message}`).join("; ") : undefined;
}
