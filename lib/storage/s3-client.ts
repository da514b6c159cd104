// S3 clients for user connections and the project store; the one place that builds them.
import { S3Client } from "@aws-sdk/client-s3";
import { guardedAgents } from "@/lib/net/outbound";

export type S3Settings = {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
};

export type S3ClientOptions = {
  /** User connections go through the SSRF guard (default); the operator's own store from settings does not. */
  guarded?: boolean;
};

export function createS3Client(settings: S3Settings, options: S3ClientOptions = {}): S3Client {
  const { guarded = true } = options;
  return new S3Client({
    endpoint: settings.endpoint,
    // `auto` is R2's region name; the SDK still needs a value to sign with.
    region: settings.region === "auto" ? "us-east-1" : settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // Flexible checksums break streamed uploads on many S3-compatible servers (R2, Supabase,
    // older MinIO, s3rver): compute them only when an operation requires one.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
    // User-supplied endpoints go through the SSRF guard like every other outbound request.
    requestHandler: guarded ? { ...guardedAgents(), connectionTimeout: 10_000 } : { connectionTimeout: 10_000 },
  });
}
