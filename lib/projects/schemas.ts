import { z } from "zod";
import { isValidVersion } from "@/lib/api/version";

const ZApiVersion = z.string().trim().refine(isValidVersion, "must be a date such as 2025-08-20, or 'latest'");
const ZAlias = z
  .string()
  .trim()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "must be 1–40 lower-case letters, digits or hyphens");

export const ZCreateProject = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).nullish(),
  alias: ZAlias.optional(),
  api_version: ZApiVersion.optional(),
});
export type TCreateProject = z.infer<typeof ZCreateProject>;

export const ZUpdateProject = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(500).nullish(),
  api_version: ZApiVersion.optional(),
  /** `signed`: delivery URLs need a signature from POST /signatures. */
  delivery_access: z.enum(["public", "signed"]).optional(),
});
export type TUpdateProject = z.infer<typeof ZUpdateProject>;

// Dashboard settings (components/settings): a member renames, an owner deletes with the name typed back.
export const ZRenameProjectInput = z.object({ projectId: z.string().max(100), name: z.string().trim().min(1, "enter a name").max(100, "use at most 100 characters") });
export const ZDeleteProjectInput = z.object({ projectId: z.string().max(100), confirmName: z.string().max(200) });
