// Validates a transform task's options with the kind's zod schema from lib/media.
import { AppError } from "@/lib/api/errors";
import { MEDIA_KINDS } from "@/lib/media/kinds";
import type { TransformKind } from "@/lib/tasks/kinds";

export function validateTransformOptions(kind: TransformKind, options: Record<string, unknown>): Record<string, unknown> {
  const schema = MEDIA_KINDS[kind].schema;
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({ field: ["options", ...issue.path.map(String)].join("."), message: issue.message }));
    throw new AppError("request_invalid", `Invalid ${kind} options. ${details.map((d) => `${d.field}: ${d.message}`).join("; ")}.`, details);
  }
  return parsed.data as Record<string, unknown>;
}
