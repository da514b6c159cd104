// The project store (local disk or the operator's S3 bucket) and stores for users' own buckets.
import path from "node:path";
import { env, type TEnv } from "@/lib/env";
import { createLocalStore } from "./local-store";
import { createS3Client, type S3Settings } from "./s3-client";
import { createS3Store } from "./s3-store";
import type { ConnectionStore, Store } from "./store-types";

export * from "./store-types";
export { createLocalStore } from "./local-store";
export { createS3Store, MIN_PART_SIZE, type S3StoreOptions } from "./s3-store";

export type StorageLocation = { kind: "local"; root: string } | { kind: "s3"; bucket: string; prefix: string; settings: S3Settings };

/** Where the project store lives: `<dataDir>/files`, or `s3://bucket/prefix` with the MEDIABIT_S3_* settings. */
export function storageLocation(settings: TEnv): StorageLocation {
  const url = settings.MEDIABIT_STORAGE_URL;
  if (!url) return { kind: "local", root: path.join(settings.dataDir, "files") };
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match?.[1]) throw new Error(`MEDIABIT_STORAGE_URL must look like s3://bucket/prefix, got '${url}'`);
  const accessKeyId = settings.MEDIABIT_S3_ACCESS_KEY_ID;
  const secretAccessKey = settings.MEDIABIT_S3_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error("MEDIABIT_S3_ACCESS_KEY_ID and MEDIABIT_S3_SECRET_ACCESS_KEY are required when MEDIABIT_STORAGE_URL is set");
  }
  const region = settings.MEDIABIT_S3_REGION;
  return {
    kind: "s3",
    bucket: match[1],
    prefix: match[2] ?? "",
    settings: {
      endpoint: settings.MEDIABIT_S3_ENDPOINT ?? `https://s3.${region}.amazonaws.com`,
      region,
      accessKeyId,
      secretAccessKey,
      forcePathStyle: settings.MEDIABIT_S3_FORCE_PATH_STYLE,
    },
  };
}

export function createStoreFromSettings(settings: TEnv): Store {
  const location = storageLocation(settings);
  if (location.kind === "local") return createLocalStore({ root: location.root });
  // The operator chose this endpoint (often a private MinIO): it is not a user URL, so it skips the SSRF guard.
  const client = createS3Client(location.settings, { guarded: false });
  return createS3Store({ client, bucket: location.bucket, prefix: location.prefix });
}

let cached: Store | undefined;

/** The project store chosen by settings, one per process. */
export function getStore(): Store {
  cached ??= createStoreFromSettings(env());
  return cached;
}

/** Tests change settings between cases; production never calls this. */
export function resetStoreForTests(): void {
  cached?.close();
  cached = undefined;
}

/** A user's bucket through a connection: every request goes through the SSRF guard. Close it when done. */
export function createConnectionStore(settings: S3Settings, bucket: string): ConnectionStore {
  const store = createS3Store({ client: createS3Client(settings), bucket, keyRules: "connection" });
  return {
    bucket,
    get: (key, range) => store.get(key, range),
    head: (key) => store.head(key),
    put: (key, body, options) => store.put(key, body, options),
    close: () => store.close(),
  };
}
