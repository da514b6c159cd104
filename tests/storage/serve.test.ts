// serveObject: GET/HEAD, byte ranges, validators and 304/412/416, streamed bodies, on both stores.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "@/lib/ids";
import { objectKey } from "@/lib/storage/object-key";
import { createS3Client } from "@/lib/storage/s3-client";
import { serveObject, type ServeObjectOptions } from "@/lib/storage/serve";
import { createLocalStore, createS3Store, type GetResult, type Store } from "@/lib/storage/store";
import { generatedBuffer, readAll } from "./helpers/bytes";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";

const SIZE = 100_000;
const URL_BASE = "https://media.example.test/example/video.mp4";

let root: string;
let local: Store;
let s3: S3TestServer;
let s3Store: Store;
let data: Buffer;

function newKey(name = "video.mp4"): string {
  return objectKey({ projectId: `prj_${randomToken(8)}`, fileId: `file_${randomToken(8)}`, name });
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), "mediabit-serve-"));
  local = createLocalStore({ root });
  s3 = await startS3Server({ buckets: ["media"] });
  const client = createS3Client(
    { endpoint: s3.endpoint, region: "us-east-1", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true },
    { guarded: false },
  );
  s3Store = createS3Store({ client, bucket: "media", prefix: "serve/" });
  data = await generatedBuffer(SIZE, "serve");
});

afterAll(async () => {
  s3Store?.close();
  await s3?.close();
  rmSync(root, { recursive: true, force: true });
});

async function stored(store: Store, body: Buffer = data, contentType = "video/mp4"): Promise<ServeObjectOptions> {
  const key = newKey();
  await store.put(key, Readable.from([body]), { contentType });
  const head = await store.head(key);
  if (!head) throw new Error("object vanished");
  return { store, key, contentType, etag: head.etag, lastModified: head.lastModified, size: head.size, cacheControl: "public, max-age=3600" };
}

function request(headers: Record<string, string> = {}, method = "GET"): Request {
  return new Request(URL_BASE, { method, headers });
}

/** A store that fails the test if serveObject reads from it. */
const untouchable: Pick<Store, "get"> = {
  get: () => {
    throw new Error("the store must not be read");
  },
};

describe.each([
  ["local disk", () => local],
  ["S3 (s3rver)", () => s3Store],
])("serveObject from %s", (_name, storeOf) => {
  let object: ServeObjectOptions;

  beforeAll(async () => {
    object = await stored(storeOf());
  });

  it("answers GET with the whole body and every header", async () => {
    const response = await serveObject(request(), object);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "accept-ranges": "bytes",
      "cache-control": "public, max-age=3600",
      "content-length": String(SIZE),
      "content-type": "video/mp4",
      etag: object.etag,
      "last-modified": object.lastModified?.toUTCString(),
      "x-content-type-options": "nosniff",
    });
    expect(response.headers.get("content-range")).toBeNull();
    expect((await readAll(response.body!)).equals(data)).toBe(true);
  });

  it.each([
    ["first bytes", "bytes=0-99", 0, 99],
    ["a middle slice", "bytes=1000-1999", 1000, 1999],
    ["a suffix", "bytes=-500", SIZE - 500, SIZE - 1],
    ["an open end", "bytes=90000-", 90000, SIZE - 1],
    ["an end past the size", "bytes=99990-200000", 99990, SIZE - 1],
    ["a suffix longer than the object", "bytes=-999999", 0, SIZE - 1],
    ["the last byte", "bytes=99999-99999", SIZE - 1, SIZE - 1],
  ])("answers a range for %s with 206", async (_label, range, start, end) => {
    const response = await serveObject(request({ Range: range }), object);
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/${SIZE}`);
    expect(response.headers.get("content-length")).toBe(String(end - start + 1));
    expect(response.headers.get("content-type")).toBe("video/mp4");
    expect((await readAll(response.body!)).equals(data.subarray(start, end + 1))).toBe(true);
  });
});

describe("serveObject", () => {
  let object: ServeObjectOptions;

  beforeAll(async () => {
    object = await stored(local);
  });

  it("answers HEAD with GET's headers, no body, and without reading the store", async () => {
    const response = await serveObject(request({}, "HEAD"), { ...object, store: untouchable });
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
    expect(response.headers.get("content-length")).toBe(String(SIZE));
    expect(response.headers.get("content-type")).toBe("video/mp4");
    expect(response.headers.get("etag")).toBe(object.etag);
    expect(response.headers.get("accept-ranges")).toBe("bytes");
  });

  it("answers HEAD with a range like the GET would", async () => {
    const response = await serveObject(request({ Range: "bytes=10-19" }, "HEAD"), { ...object, store: untouchable });
    expect(response.status).toBe(206);
    expect(response.body).toBeNull();
    expect(response.headers.get("content-range")).toBe(`bytes 10-19/${SIZE}`);
    expect(response.headers.get("content-length")).toBe("10");
  });

  it.each([`bytes=${SIZE}-`, `bytes=${SIZE + 10}-${SIZE + 20}`, "bytes=-0"])("answers the unsatisfiable %s with 416", async (range) => {
    const response = await serveObject(request({ Range: range }), { ...object, store: untouchable });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe(`bytes */${SIZE}`);
    expect(await response.text()).toBe("");
  });

  it.each(["bytes=abc", "items=0-10", "bytes=50-10", "bytes=0-1,5-9", "bytes=", "bytes=1-2-3"])(
    "ignores the range %s it does not honour and sends everything",
    async (range) => {
      const response = await serveObject(request({ Range: range }), object);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe(String(SIZE));
      expect((await readAll(response.body!)).length).toBe(SIZE);
    },
  );

  it.each([
    ["its exact ETag", () => object.etag ?? ""],
    ["its ETag marked weak", () => `W/${object.etag}`],
    ["a list holding its ETag", () => `"nope", ${object.etag}`],
    ["*", () => "*"],
  ])("answers If-None-Match with %s by 304", async (_label, value) => {
    const response = await serveObject(request({ "If-None-Match": value() }), { ...object, store: untouchable });
    expect(response.status).toBe(304);
    expect(response.body).toBeNull();
    expect(response.headers.get("etag")).toBe(object.etag);
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
  });

  it("answers If-None-Match with another ETag by 200, even when If-Modified-Since alone would give 304", async () => {
    const later = new Date(Date.now() + 3600_000).toUTCString();
    const response = await serveObject(request({ "If-None-Match": '"other"', "If-Modified-Since": later }), object);
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });

  it("answers If-Modified-Since by 304 when not modified since and 200 when it was", async () => {
    const lastModified = object.lastModified!;
    const same = await serveObject(request({ "If-Modified-Since": lastModified.toUTCString() }), { ...object, store: untouchable });
    expect(same.status).toBe(304);
    const later = await serveObject(request({ "If-Modified-Since": new Date(lastModified.getTime() + 60_000).toUTCString() }), { ...object, store: untouchable });
    expect(later.status).toBe(304);
    const earlier = await serveObject(request({ "If-Modified-Since": new Date(lastModified.getTime() - 60_000).toUTCString() }), object);
    expect(earlier.status).toBe(200);
    await earlier.body?.cancel();
    const garbage = await serveObject(request({ "If-Modified-Since": "not a date" }), object);
    expect(garbage.status).toBe(200);
    await garbage.body?.cancel();
  });

  it("honours Range only when If-Range still matches", async () => {
    const matching = await serveObject(request({ Range: "bytes=0-9", "If-Range": object.etag ?? "" }), object);
    expect(matching.status).toBe(206);
    expect((await readAll(matching.body!)).equals(data.subarray(0, 10))).toBe(true);

    const byDate = await serveObject(request({ Range: "bytes=0-9", "If-Range": object.lastModified!.toUTCString() }), object);
    expect(byDate.status).toBe(206);
    await byDate.body?.cancel();

    for (const stale of ['"changed"', `W/${object.etag}`, new Date(object.lastModified!.getTime() - 5000).toUTCString()]) {
      const response = await serveObject(request({ Range: "bytes=0-9", "If-Range": stale }), object);
      expect(response.status, stale).toBe(200);
      expect(response.headers.get("content-length")).toBe(String(SIZE));
      await response.body?.cancel();
    }
  });

  it("answers a failed If-Match or If-Unmodified-Since with 412", async () => {
    expect((await serveObject(request({ "If-Match": '"other"' }), { ...object, store: untouchable })).status).toBe(412);
    const matched = await serveObject(request({ "If-Match": object.etag ?? "" }), object);
    expect(matched.status).toBe(200);
    await matched.body?.cancel();
    const before = new Date(object.lastModified!.getTime() - 60_000).toUTCString();
    expect((await serveObject(request({ "If-Unmodified-Since": before }), { ...object, store: untouchable })).status).toBe(412);
  });

  it("quotes a bare ETag", async () => {
    const response = await serveObject(request({}, "HEAD"), { ...object, etag: "abc123", store: untouchable });
    expect(response.headers.get("etag")).toBe('"abc123"');
    const again = await serveObject(request({ "If-None-Match": '"abc123"' }), { ...object, etag: "abc123", store: untouchable });
    expect(again.status).toBe(304);
  });

  it("offers a download with an ASCII fallback and the exact UTF-8 name", async () => {
    const response = await serveObject(request({}, "HEAD"), { ...object, download: 'Ünïcode "clip".mp4', store: untouchable });
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="_n_code _clip_.mp4"; filename*=UTF-8''%C3%9Cn%C3%AFcode%20%22clip%22.mp4`,
    );
  });

  it("answers other methods with 405 and Allow", async () => {
    const response = await serveObject(request({}, "POST"), { ...object, store: untouchable });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });

  it("serves an empty object, and refuses any range of it", async () => {
    const empty = await stored(local, Buffer.alloc(0), "text/plain");
    const response = await serveObject(request(), empty);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("0");
    expect(await response.text()).toBe("");
    expect((await serveObject(request({ Range: "bytes=0-" }), empty)).status).toBe(416);
  });

  it("refuses to serve when the stored size disagrees with the record", async () => {
    await expect(serveObject(request(), { ...object, size: SIZE + 1 })).rejects.toThrow(/has 100000 bytes, its record says 100001/);
  });

  it("stops reading the store when the client goes away", async () => {
    let source: Readable | undefined;
    const spy: Pick<Store, "get"> = {
      get: async (key, range) => {
        const result: GetResult = await local.get(key, range);
        source = result.body;
        return result;
      },
    };
    const response = await serveObject(request(), { ...object, store: spy });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value?.length).toBeGreaterThan(0);
    await reader.cancel();
    expect(source?.destroyed).toBe(true);
  });
});
