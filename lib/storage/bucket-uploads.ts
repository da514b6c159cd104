// Multipart uploads a browser makes straight into the project store's bucket: one presigned URL per S3 request,
// and the server-side checks on those uploads. The credentials stay here; only short-lived URLs leave.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { env, type TEnv } from "@/lib/env";
import { createS3Client } from "./s3-client";
import { storageLocation } from "./store";
import { assertStoreKey } from "./store-types";

/** One S3 request of a multipart upload, on a store key (the bucket's prefix is added when signing). */
export type BucketRequest =
  | { operation: "create"; key: string }
  | { operation: "part"; key: string; uploadId: string; partNumber: number }
  | { operation: "list"; key: string; uploadId: string }
  | { operation: "complete"; key: string; uploadId: string }
  | { operation: "abort"; key: string; uploadId: string };

export type BucketUploads = {
  /** The key the bucket itself uses for a store key: the store's prefix in front. */
  bucketKey(key: string): string;
  /** A URL that performs exactly `request`, valid for `expiresIn` seconds. */
  presign(request: BucketRequest, expiresIn: number): Promise<string>;
  /** Whether `uploadId` is an open multipart upload of `key`. */
  hasUpload(key: string, uploadId: string): Promise<boolean>;
  /** Aborting an upload that no longer exists is not an error. */
  abortUpload(key: string, uploadId: string): Promise<void>;
};

function commandFor(bucket: string, fullKey: string, request: BucketRequest) {
  const target = { Bucket: bucket, Key: fullKey };
  switch (request.operation) {
    case "create":
      return new CreateMultipartUploadCommand(target);
    case "part":
      return new UploadPartCommand({ ...target, UploadId: request.uploadId, PartNumber: request.partNumber });
    case "list":
      return new ListPartsCommand({ ...target, UploadId: request.uploadId });
    case "complete":
      return new CompleteMultipartUploadCommand({ ...target, UploadId: request.uploadId });
    case "abort":
      return new AbortMultipartUploadCommand({ ...target, UploadId: request.uploadId });
  }
}

function createBucketUploads(client: S3Client, bucket: string, rawPrefix: string): BucketUploads {
  const trimmed = rawPrefix.replace(/^\/+/, "");
  // The same normalisation as the S3 store's, so both agree on where a store key lives.
  const prefix = trimmed === "" || trimmed.endsWith("/") ? trimmed : `${trimmed}/`;
  const bucketKey = (key: string) => {
    assertStoreKey(key);
    return prefix + key;
  };
  return {
    bucketKey,
    presign: (request, expiresIn) =>
      // The union of commands shares no type getSignedUrl accepts as one; each is a valid S3 command.
      getSignedUrl(client, commandFor(bucket, bucketKey(request.key), request) as CreateMultipartUploadCommand, { expiresIn }),
    async hasUpload(key, uploadId) {
      const fullKey = bucketKey(key);
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      for (;;) {
        const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: fullKey, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
        if ((out.Uploads ?? []).some((upload) => upload.Key === fullKey && upload.UploadId === uploadId)) return true;
        if (!out.IsTruncated || (!out.NextKeyMarker && !out.NextUploadIdMarker)) return false;
        keyMarker = out.NextKeyMarker;
        uploadIdMarker = out.NextUploadIdMarker;
      }
    },
    async abortUpload(key, uploadId) {
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: bucketKey(key), UploadId: uploadId }));
      } catch (error) {
        const shape = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (shape.name !== "NoSuchUpload" && shape.$metadata?.httpStatusCode !== 404) throw error;
      }
    },
  };
}

let cached: { settings: TEnv; client: S3Client | null; uploads: BucketUploads | null } | undefined;

/** The project store's bucket, or null when the store is on local disk. Follows the settings (tests change them). */
export function bucketUploads(): BucketUploads | null {
  const settings = env();
  if (cached?.settings === settings) return cached.uploads;
  cached?.client?.destroy();
  const location = storageLocation(settings);
  // The operator's own endpoint, like the store's: not a user URL, so no SSRF guard.
  const client = location.kind === "s3" ? createS3Client(location.settings, { guarded: false }) : null;
  const uploads = client && location.kind === "s3" ? createBucketUploads(client, location.bucket, location.prefix) : null;
  cached = { settings, client, uploads };
  return uploads;
}
