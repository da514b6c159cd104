import { z } from "zod";

const ZEndpoint = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && !url.search && !url.hash;
    } catch {
      return false;
    }
  }, "must be an http(s) URL such as https://s3.us-east-1.amazonaws.com, without credentials, query or fragment");

const ZRegion = z
  .string()
  .trim()
  .regex(/^[a-z0-9-]{1,40}$/, "must look like us-east-1, or auto");

// S3 bucket naming rules (3–63 chars, lower-case, digits, dots, hyphens).
export const ZBucketName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name");

const ZName = z.string().trim().min(1).max(100);

export const ZCreateConnection = z.strictObject({
  name: ZName.optional(),
  kind: z.literal("s3", { error: "only `s3` is supported (AWS S3, R2, GCS interop, Supabase, Spaces, MinIO)" }).default("s3"),
  endpoint: ZEndpoint,
  region: ZRegion.default("auto"),
  access_key_id: z.string().trim().min(1).max(256),
  secret_access_key: z.string().min(1).max(512),
  bucket: ZBucketName.nullish(),
  force_path_style: z.boolean().optional(),
  is_default: z.boolean().optional(),
  /** Make a real S3 call with these credentials before saving; a failure saves nothing. */
  verify: z.boolean().optional(),
});
export type TCreateConnection = z.infer<typeof ZCreateConnection>;

export const ZUpdateConnection = z.strictObject({
  name: ZName.optional(),
  kind: z.literal("s3", { error: "only `s3` is supported" }).optional(),
  endpoint: ZEndpoint.optional(),
  region: ZRegion.optional(),
  access_key_id: z.string().trim().min(1).max(256).optional(),
  secret_access_key: z.string().min(1).max(512).optional(),
  bucket: ZBucketName.nullish(),
  force_path_style: z.boolean().optional(),
  is_default: z.boolean().optional(),
  verify: z.boolean().optional(),
});
export type TUpdateConnection = z.infer<typeof ZUpdateConnection>;

export const ZVerifyConnection = z.strictObject({ bucket: ZBucketName.optional() });
