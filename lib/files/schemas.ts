import { z } from "zod";
import { ZMetadata, ZMetadataPatch } from "@/lib/api/metadata";
import { ZListQuery } from "@/lib/api/pagination";

const ZFolder = z.string().trim().max(512);
const ZFilename = z.string().trim().min(1).max(255);

export const ZCreateFile = z.object({
  url: z.string().trim().min(1, "url is required"),
  media_id: z.string().trim().min(1).optional(),
  folder: ZFolder.optional(),
  filename: ZFilename.optional(),
  ref: z.string().trim().min(1).max(100).optional(),
  label: z.string().trim().max(100).optional(),
  metadata: ZMetadata.optional(),
  connection_id: z.string().trim().min(1).optional(),
  /** Return at once with a processing file instead of waiting for the ingest. */
  async: z.boolean().optional(),
});
export type TCreateFile = z.infer<typeof ZCreateFile>;

export const ZUpdateFile = z.strictObject({
  folder: ZFolder.nullish(),
  filename: ZFilename.optional(),
  ref: z.string().trim().min(1).max(100).nullish(),
  metadata: ZMetadataPatch.optional(),
});
export type TUpdateFile = z.infer<typeof ZUpdateFile>;

export const ZListFiles = ZListQuery.extend({
  kind: z.string().optional(),
  object: z.enum(["source", "track", "intelligence"]).optional(),
  media_id: z.string().optional(),
  folder: z.string().optional(),
  status: z.enum(["waiting", "processing", "ready", "failed"]).optional(),
  ref: z.string().optional(),
});
export type TListFiles = z.infer<typeof ZListFiles>;
