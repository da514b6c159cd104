// getStore() picks the project store from settings; connection stores reach users' buckets through the SSRF guard.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { env, resetEnvForTests } from "@/lib/env";
import { randomToken } from "@/lib/ids";
import { objectKey } from "@/lib/storage/object-key";
import type { S3Settings } from "@/lib/storage/s3-client";
import { createConnectionStore, getStore, resetStoreForTests, storageLocation } from "@/lib/storage/store";
import { digestStream, generatedBytes, readAll } from "./helpers/bytes";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";

const SETTINGS = [
  "MEDIABIT_STORAGE_URL",
  "MEDIABIT_S3_ENDPOINT",
  "MEDIABIT_S3_ACCESS_KEY_ID",
  "MEDIABIT_S3_SECRET_ACCESS_KEY",
  "MEDIABIT_ALLOW_PRIVATE_HOSTS",
] as const;
const saved = Object.fromEntries(SETTINGS.map((name) => [name, process.env[name]]));

let s3: S3TestServer;
let connection: S3Settings;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ["media", "customer"] });
  connection = { endpoint: s3.endpoint, region: "us-east-1", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true };
});

afterAll(async () => {
  await s3?.close();
});

afterEach(() => {
  for (const name of SETTINGS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  resetStoreForTests();
  resetEnvForTests();
});

function useSettings(values: Partial<Record<(typeof SETTINGS)[number], string | undefined>>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetStoreForTests();
  resetEnvForTests();
}

function useS3ProjectStore(prefix: string, extra: Partial<Record<(typeof SETTINGS)[number], string>> = {}): void {
  useSettings({
    MEDIABIT_STORAGE_URL: `s3://media/${prefix}`,
    MEDIABIT_S3_ENDPOINT: s3.endpoint,
    MEDIABIT_S3_ACCESS_KEY_ID: s3.accessKeyId,
    MEDIABIT_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    ...extra,
  });
}

function newKey(name: string): string {
  return objectKey({ projectId: `prj_${randomToken(8)}`, fileId: `file_${randomToken(8)}`, name });
}

describe("getStore", () => {
  it("defaults to local disk under <dataDir>/files, one store per process", async () => {
    useSettings({ MEDIABIT_STORAGE_URL: undefined });
    const store = getStore();
    expect(store.kind).toBe("local");
    expect(getStore()).toBe(store);
    const key = newKey("hello.txt");
    await store.put(key, Readable.from([Buffer.from("hello")]), { contentType: "text/plain" });
    const file = path.join(env().dataDir, "files", ...key.split("/"));
    expect(readFileSync(file, "utf8")).toBe("hello");
  });

  it("uses the S3 bucket and prefix from MEDIABIT_STORAGE_URL", async () => {
    useS3ProjectStore("tenant-a");
    const store = getStore();
    expect(store.kind).toBe("s3");
    const key = newKey("clip.mp4");
    await store.put(key, Readable.from([Buffer.from("s3 bytes")]), { contentType: "video/mp4" });

    const raw = createConnectionStore(connection, "media");
    try {
      const head = await raw.head(`tenant-a/${key}`);
      expect(head).toMatchObject({ size: 8, contentType: "video/mp4" });
      expect(await raw.head(key)).toBeNull();
    } finally {
      raw.close();
    }
    expect(existsSync(path.join(env().dataDir, "files", ...key.split("/")))).toBe(false);
    expect((await readAll((await store.get(key)).body)).toString()).toBe("s3 bytes");
  });

  it("reaches the operator's own endpoint even where user connections are blocked", async () => {
    useS3ProjectStore("tenant-b", { MEDIABIT_ALLOW_PRIVATE_HOSTS: "" });
    const key = newKey("private-endpoint.bin");
    await getStore().put(key, Readable.from([Buffer.from("ok")]), { contentType: "application/octet-stream" });
    expect(await getStore().head(key)).not.toBeNull();

    const user = createConnectionStore(connection, "customer");
    try {
      await expect(user.head("anything")).rejects.toThrow(/blocked|not allowed|private|loopback/i);
    } finally {
      user.close();
    }
  });

  it("explains missing S3 credentials", () => {
    useSettings({ MEDIABIT_STORAGE_URL: "s3://media/x", MEDIABIT_S3_ACCESS_KEY_ID: undefined, MEDIABIT_S3_SECRET_ACCESS_KEY: undefined });
    expect(() => getStore()).toThrow(/MEDIABIT_S3_ACCESS_KEY_ID and MEDIABIT_S3_SECRET_ACCESS_KEY are required/);
  });

  it("defaults the endpoint to AWS for the region and reads bucket and prefix", () => {
    useSettings({ MEDIABIT_STORAGE_URL: "s3://my-bucket/deep/prefix", MEDIABIT_S3_ENDPOINT: undefined, MEDIABIT_S3_ACCESS_KEY_ID: "id", MEDIABIT_S3_SECRET_ACCESS_KEY: "secret" });
    expect(storageLocation(env())).toMatchObject({
      kind: "s3",
      bucket: "my-bucket",
      prefix: "deep/prefix",
      settings: { endpoint: "https://s3.us-east-1.amazonaws.com", accessKeyId: "id" },
    });
  });
});

describe("createConnectionStore", () => {
  it("reads and writes any key S3 allows in the user's bucket, streaming multipart", async () => {
    const user = createConnectionStore(connection, "customer");
    try {
      expect(user.bucket).toBe("customer");
      const key = `incoming/My Movie (${randomToken(4)}).mov`;
      const source = generatedBytes(11 * 1024 * 1024, "connection");
      const put = await user.put(key, source.stream, { contentType: "video/quicktime" });
      expect(put.size).toBe(11 * 1024 * 1024);
      expect(await user.head(key)).toMatchObject({ size: 11 * 1024 * 1024, contentType: "video/quicktime" });
      expect(await digestStream((await user.get(key)).body)).toEqual({ sha256: source.sha256(), size: 11 * 1024 * 1024 });
      const tail = await user.get(key, { start: 11 * 1024 * 1024 - 4, end: 11 * 1024 * 1024 - 1 });
      expect(tail.contentRange).toEqual({ start: 11 * 1024 * 1024 - 4, end: 11 * 1024 * 1024 - 1, size: 11 * 1024 * 1024 });
      expect(await readAll(tail.body)).toHaveLength(4);
      expect(await user.head(`incoming/missing-${randomToken(4)}`)).toBeNull();
    } finally {
      user.close();
    }
  });
});
