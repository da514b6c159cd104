// User key/value metadata on files, media, jobs and runs (conventions.md §9), merged on update.
import { z } from "zod";

const ZValue = z.union([z.string().max(2048), z.number(), z.boolean()]);

export const ZMetadata = z
  .record(z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, "keys are letters, digits, _ . -"), ZValue)
  .refine((value) => Object.keys(value).length <= 50, "at most 50 keys");

/** Updates accept `null` to delete a key. */
export const ZMetadataPatch = z
  .record(z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, "keys are letters, digits, _ . -"), ZValue.nullable())
  .refine((value) => Object.keys(value).length <= 50, "at most 50 keys");

export type TMetadata = z.infer<typeof ZMetadata>;

/** New keys are added, existing ones overwritten, `null` removes a key. */
export function mergeMetadata(current: unknown, patch: Record<string, string | number | boolean | null>): TMetadata {
  const merged: Record<string, string | number | boolean> = { ...((current as TMetadata | null) ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
