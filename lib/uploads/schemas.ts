// Request shapes of generation A's upload URLs (spec/uploads.md §1).
import { z } from "zod";
import { ZMetadata } from "@/lib/api/metadata";
import { ZListQuery } from "@/lib/api/pagination";

export const UPLOAD_TIMEOUT = { min: 10, max: 3600, default: 300 };
export const MEDIA_EXPIRY = { min: 60, max: 31_536_000 };

export const ZCreateUpload = z.strictObject({
  /** Seconds the URL waits for an upload to start. */
  timeout: z.number().int().min(UPLOAD_TIMEOUT.min).max(UPLOAD_TIMEOUT.max).default(UPLOAD_TIMEOUT.default),
  workflow_id: z.string().trim().min(1).max(100).optional(),
  metadata: ZMetadata.optional(),
  /** Seconds after the upload when the created media is deleted. */
  expires: z.number().int().min(MEDIA_EXPIRY.min).max(MEDIA_EXPIRY.max).optional(),
  filename: z.string().trim().min(1).max(255).optional(),
  folder: z.string().trim().max(512).optional(),
});
export type TCreateUpload = z.infer<typeof ZCreateUpload>;
/** What a caller may send: `timeout` optional. */
export type TCreateUploadInput = z.input<typeof ZCreateUpload>;

export const ZListUploads = ZListQuery.extend({
  status: z.enum(["waiting", "uploading", "completed", "expired", "failed"]).optional(),
});
export type TListUploads = z.infer<typeof ZListUploads>;
