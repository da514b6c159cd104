import { z } from "zod";
import { ZMetadata, ZMetadataPatch } from "@/lib/api/metadata";
import { ZListQuery } from "@/lib/api/pagination";

export const ZCreateMedia = z.object({
  title: z.string().trim().max(500).optional(),
  alt: z.string().trim().max(1000).optional(),
  metadata: ZMetadata.optional(),
  /** A generation: create the media by ingesting a URL. */
  url: z.string().trim().min(1).optional(),
  folder: z.string().trim().max(512).optional(),
  filename: z.string().trim().min(1).max(255).optional(),
  connection_id: z.string().trim().min(1).optional(),
});
export type TCreateMedia = z.infer<typeof ZCreateMedia>;

const MINUTE = 60;
const YEAR = 365 * 24 * 3600;

export const ZUpdateMedia = z
  .strictObject({
    title: z.string().trim().max(500).nullish(),
    alt: z.string().trim().max(1000).nullish(),
    metadata: ZMetadataPatch.optional(),
    /** Auto-delete at this time (now + 60 s … now + 365 d); null clears. */
    expires: z.iso.datetime({ offset: true }).nullish(),
    /** Auto-delete this many seconds from now (60 … 31536000); null clears. */
    timeout: z.number().int().min(MINUTE).max(YEAR).nullish(),
  })
  .refine((v) => !(v.expires != null && v.timeout != null), { message: "send either expires or timeout, not both", path: ["expires"] })
  .refine((v) => JSON.stringify(v.metadata ?? {}).length <= 1024 * 8, { message: "metadata is limited to 8 KB", path: ["metadata"] });
export type TUpdateMedia = z.infer<typeof ZUpdateMedia>;

export const ZListMedia = ZListQuery.extend({
  kind: z.enum(["video", "image", "audio"]).optional(),
});
export type TListMedia = z.infer<typeof ZListMedia>;

export const EXPIRY_BOUNDS = { minSeconds: MINUTE, maxSeconds: YEAR };
