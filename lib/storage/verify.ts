// A real round trip to an S3-compatible endpoint with a connection's credentials.
import { ListBucketsCommand, ListObjectsV2Command, S3ServiceException } from "@aws-sdk/client-s3";
import { createS3Client, type S3Settings } from "@/lib/storage/s3-client";

export type VerifyResult =
  | { ok: true; checked: "bucket"; bucket: string; objects: number; sample: string[] }
  | { ok: true; checked: "endpoint"; buckets: string[] }
  | { ok: false; message: string; code?: string; status?: number };

function describe(error: unknown): { message: string; code?: string; status?: number } {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    return { message: `${error.name}${status ? ` (HTTP ${status})` : ""}: ${error.message || "no message from the server"}`, code: error.name, status };
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? (error as NodeJS.ErrnoException).code;
  return { message: `${(error as Error).message}${detail ? ` (${detail})` : ""}`, code: detail };
}

/** Lists the bucket when one is known (the call tasks will need), else lists the account's buckets. */
export async function verifyS3Access(settings: S3Settings, bucket?: string | null): Promise<VerifyResult> {
  const client = createS3Client(settings);
  const abort = AbortSignal.timeout(15_000);
  try {
    if (bucket) {
      const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 5 }), { abortSignal: abort });
      const sample = (out.Contents ?? []).map((item) => item.Key ?? "").filter(Boolean);
      return { ok: true, checked: "bucket", bucket, objects: out.KeyCount ?? sample.length, sample };
    }
    const out = await client.send(new ListBucketsCommand({}), { abortSignal: abort });
    return { ok: true, checked: "endpoint", buckets: (out.Buckets ?? []).map((b) => b.Name ?? "").filter(Boolean) };
  } catch (error) {
    return { ok: false, ...describe(error) };
  } finally {
    client.destroy();
  }
}
