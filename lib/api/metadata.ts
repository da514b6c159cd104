// User key/value metadata on files, media, tasks, jobs and runs (conventions.md §9), merged on update. One schema
// for every metadata field, also for the free-form options of ingest, probe and export tasks.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";

const ZValue = z.union([z.string().max(2048), z.number(), z.boolean()]);

export const ZMetadata = z
  .record(z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, "keys are letters, digits, _ . -"), ZValue)
  .refine((value) => Object.keys(value).length <= 50, "at most 50 keys");

/** Updates accept `null` to delete a key. */
export const ZMetadataPatch = z
  .record(z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, "keys are letters, digits, _ . -"), ZValue.nullable())
  .refine((value) => Object.keys(value).length <= 50, "at most 50 keys");

export type TMetadata = z.infer<typeof ZMetadata>;

/** For bodies read by hand rather than by a zod schema (tasks, run steps): ZMetadata's rules, as a 400 naming `field`. */
export function parseMetadata(value: unknown, field: string): TMetadata {
  const parsed = ZMetadata.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ field: [field, ...issue.path.map(String)].join("."), message: issue.message }));
  throw new AppError(
    "request_invalid",
    `${field}: expected at most 50 keys (letters, digits, _ . -) with string, number or boolean values. ${details.map((d) => `${d.field}: ${d.message}`).join("; ")}.`,
    details,
  );
}

/** New keys are added, existing ones overwritten, `null` removes a key. */
export function mergeMetadata(current: unknown, patch: Record<string, string | number | boolean | null>): TMetadata {
  const merged: Record<string, string | number | boolean> = { ...((current as TMetadata | null) ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
