// Everything streams: 300 MB in and out of each store while resident memory stays nearly flat.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "@/lib/ids";
import { objectKey } from "@/lib/storage/object-key";
import { createS3Client } from "@/lib/storage/s3-client";
import { serveObject } from "@/lib/storage/serve";
import { createLocalStore, createS3Store, MIN_PART_SIZE, type Store } from "@/lib/storage/store";
import { digestStream, generatedBytes } from "./helpers/bytes";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";

const MB = 1024 * 1024;
const TOTAL = 300 * MB;
const MAX_GROWTH = 64 * MB;

let root: string;
let s3: S3TestServer;
let s3Store: Store;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), "mediabit-memory-"));
  s3 = await startS3Server({ buckets: ["media"] });
  const client = createS3Client(
    { endpoint: s3.endpoint, region: "us-east-1", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true },
    { guarded: false },
  );
  s3Store = createS3Store({ client, bucket: "media", prefix: "memory/", partSize: MIN_PART_SIZE });
});

afterAll(async () => {
  s3Store?.close();
  await s3?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Runs `work` while sampling RSS; returns the peak growth over the RSS just before it started. */
async function peakGrowth(work: () => Promise<void>): Promise<number> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss()) - baseline;
}

function newKey(): string {
  return objectKey({ projectId: `prj_${randomToken(8)}`, fileId: `file_${randomToken(8)}`, name: "big.mp4" });
}

/** Puts 300 MB with put(), reads it back through serveObject, and checks every byte. */
async function roundTrip(store: Store, write: (key: string, source: ReturnType<typeof generatedBytes>) => Promise<void>): Promise<void> {
  const key = newKey();
  const source = generatedBytes(TOTAL, key);
  await write(key, source);
  const head = await store.head(key);
  expect(head?.size).toBe(TOTAL);
  const response = await serveObject(new Request("https://media.example.test/big.mp4"), {
    store,
    key,
    contentType: "video/mp4",
    size: TOTAL,
    cacheControl: "no-store",
    etag: head?.etag,
  });
  expect(response.status).toBe(200);
  expect(await digestStream(response.body!)).toEqual({ sha256: source.sha256(), size: TOTAL });
}

describe("streaming memory", () => {
  beforeAll(async () => {
    // Warm up code paths and buffers so the measurement sees only the transfer itself.
    const store = createLocalStore({ root });
    const warm = generatedBytes(16 * MB, "warm-up");
    await store.put("warm/up.bin", warm.stream, { contentType: "application/octet-stream" });
    await digestStream((await store.get("warm/up.bin")).body);
  });

  it("puts and serves 300 MB on local disk with RSS growth under 64 MB", async () => {
    const store = createLocalStore({ root });
    const growth = await peakGrowth(() =>
      roundTrip(store, async (key, source) => {
        await store.put(key, source.stream, { contentType: "video/mp4", size: TOTAL });
      }),
    );
    expect(growth).toBeLessThan(MAX_GROWTH);
  });

  it("streams 300 MB into S3 as a two-phase multipart upload and serves it with RSS growth under 64 MB", async () => {
    const growth = await peakGrowth(() =>
      roundTrip(s3Store, async (key, source) => {
        const pending = await s3Store.beginUpload(key, { contentType: "video/mp4", size: TOTAL });
        await pipeline(source.stream, pending.writable);
        await pending.commit();
      }),
    );
    expect(growth).toBeLessThan(MAX_GROWTH);
  });
});
