// The Store contract, run against local disk and a real S3-compatible server (s3rver on loopback).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { readdir, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "@/lib/ids";
import { objectKey, packageEntryKey } from "@/lib/storage/object-key";
import { createS3Client } from "@/lib/storage/s3-client";
import {
  createLocalStore,
  createS3Store,
  MIN_PART_SIZE,
  ObjectNotFoundError,
  RangeNotSatisfiableError,
  SizeMismatchError,
  type Store,
} from "@/lib/storage/store";
import { copyObjectToFile } from "@/lib/storage/streams";
import { digestStream, generatedBuffer, generatedBytes, readAll, sha256Of } from "./helpers/bytes";
import { ageUploads, openUploads, startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";
import { waitFor } from "@/tests/helpers/wait";

const MB = 1024 * 1024;
const BUCKET = "media";

type Backend = {
  store: Store;
  /** Another store on the same place, standing in for a second process. */
  sibling: () => Store;
  /** Temp files or open multipart uploads left in this store's area. */
  leftovers: () => Promise<number>;
  /** Makes every leftover look `ms` old. */
  age: (ms: number) => Promise<void>;
  commands: string[];
  close: () => Promise<void>;
};

let s3: S3TestServer;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [BUCKET] });
});

afterAll(async () => {
  await s3?.close();
});

function newLocalBackend(): Backend {
  const root = mkdtempSync(path.join(os.tmpdir(), "mediabit-store-"));
  const tmp = path.join(root, ".tmp");
  const entries = async () => readdir(tmp).catch(() => [] as string[]);
  return {
    store: createLocalStore({ root }),
    sibling: () => createLocalStore({ root }),
    leftovers: async () => (await entries()).length,
    age: async (ms) => {
      const when = new Date(Date.now() - ms);
      for (const name of await entries()) await utimes(path.join(tmp, name), when, when);
    },
    commands: [],
    close: async () => rmSync(root, { recursive: true, force: true }),
  };
}

function newS3Backend(): Backend {
  const prefix = `store-${randomToken(8)}/`;
  const settings = { endpoint: s3.endpoint, region: "us-east-1", accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true };
  const make = (commands?: string[]) => {
    const client = createS3Client(settings, { guarded: false });
    if (commands) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          commands.push(context.commandName ?? "unknown");
          return next(args);
        },
        { step: "initialize", name: "recordCommands" },
      );
    }
    return createS3Store({ client, bucket: BUCKET, prefix, partSize: MIN_PART_SIZE });
  };
  const commands: string[] = [];
  const store = make(commands);
  const siblings: Store[] = [];
  return {
    store,
    sibling: () => {
      const sibling = make();
      siblings.push(sibling);
      return sibling;
    },
    leftovers: async () => (await openUploads(s3, BUCKET, prefix)).length,
    age: (ms) => ageUploads(s3, BUCKET, prefix, ms),
    commands,
    close: async () => {
      store.close();
      for (const sibling of siblings) sibling.close();
    },
  };
}

function newKey(name: string): string {
  return objectKey({ projectId: `prj_${randomToken(10)}`, fileId: `file_${randomToken(10)}`, name });
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable) out.push(item);
  return out.sort();
}

describe.each([
  ["local disk", newLocalBackend],
  ["S3 (s3rver)", newS3Backend],
] as const)("Store on %s", (_name, create) => {
  let backend: Backend;
  let store: Store;

  beforeAll(() => {
    backend = create();
    store = backend.store;
  });

  afterAll(async () => {
    await backend.close();
  });

  it("round-trips bytes exactly with put/get/head and forgets them on delete", async () => {
    const key = newKey("clip.mp4");
    const data = await generatedBuffer(MB + 123, "round-trip");
    const put = await store.put(key, Readable.from([data.subarray(0, 1000), data.subarray(1000)]), { contentType: "video/mp4", size: data.length });
    expect(put.size).toBe(data.length);
    expect(put.etag).toMatch(/^".+"$/);

    const head = await store.head(key);
    expect(head).toMatchObject({ key, size: data.length, contentType: "video/mp4", etag: put.etag });
    expect(head?.lastModified.getTime()).toBeGreaterThan(Date.now() - 60_000);

    const got = await store.get(key);
    expect(got).toMatchObject({ size: data.length, contentType: "video/mp4", etag: put.etag });
    expect(got.contentRange).toBeUndefined();
    expect((await digestStream(got.body)).sha256).toBe(sha256Of(data));

    await store.delete(key);
    expect(await store.head(key)).toBeNull();
    await expect(store.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await store.delete(key);
  });

  it("uploads from a local file path", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "mediabit-src-"));
    try {
      const file = path.join(dir, "source.bin");
      const data = await generatedBuffer(300_000, "from-path");
      await writeFile(file, data);
      const key = newKey("source.bin");
      await store.put(key, file, { contentType: "application/octet-stream" });
      expect(sha256Of(await readAll((await store.get(key)).body))).toBe(sha256Of(data));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("overwrites an object under the same key", async () => {
    const key = newKey("poster.jpg");
    await store.put(key, Readable.from([Buffer.from("first version")]), { contentType: "image/jpeg" });
    await store.put(key, Readable.from([Buffer.from("second")]), { contentType: "image/png" });
    const got = await store.get(key);
    expect(got.contentType).toBe("image/png");
    expect((await readAll(got.body)).toString()).toBe("second");
    // Back to the type the name implies: nothing of the previous object's type lingers.
    await store.put(key, Readable.from([Buffer.from("third")]), { contentType: "image/jpeg" });
    expect(await store.head(key)).toMatchObject({ size: 5, contentType: "image/jpeg" });
  });

  it("reads byte ranges: first bytes, middle, clamped end, and refuses a range past the end", async () => {
    const key = newKey("range.bin");
    const data = await generatedBuffer(100_000, "ranges");
    await store.put(key, Readable.from([data]), { contentType: "application/octet-stream" });

    const first = await store.get(key, { start: 0, end: 9 });
    expect(first.contentRange).toEqual({ start: 0, end: 9, size: data.length });
    expect(first.size).toBe(data.length);
    expect(await readAll(first.body)).toEqual(data.subarray(0, 10));

    const middle = await store.get(key, { start: 40_000, end: 59_999 });
    expect(await readAll(middle.body)).toEqual(data.subarray(40_000, 60_000));

    const clamped = await store.get(key, { start: 99_990, end: 1_000_000 });
    expect(clamped.contentRange).toEqual({ start: 99_990, end: 99_999, size: data.length });
    expect(await readAll(clamped.body)).toEqual(data.subarray(99_990));

    await expect(store.get(key, { start: 100_000, end: 100_010 })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
    await expect(store.get(key, { start: 5, end: 4 })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
  });

  it("streams a body over 10 MB through multipart upload with 5 MB parts", async () => {
    const key = newKey("large.mov");
    const source = generatedBytes(12 * MB + 77, "multipart");
    backend.commands.length = 0;
    const put = await store.put(key, source.stream, { contentType: "video/quicktime" });
    expect(put.size).toBe(12 * MB + 77);
    if (store.kind === "s3") {
      expect(backend.commands.filter((name) => name === "UploadPartCommand")).toHaveLength(3);
      expect(backend.commands).toContain("CompleteMultipartUploadCommand");
      expect(backend.commands).not.toContain("PutObjectCommand");
    }
    const got = await store.get(key);
    expect(await digestStream(got.body)).toEqual({ sha256: source.sha256(), size: 12 * MB + 77 });
  });

  it("publishes nothing when the body is shorter or longer than the declared size", async () => {
    const short = newKey("short.bin");
    await expect(store.put(short, Readable.from([Buffer.alloc(10)]), { contentType: "application/octet-stream", size: 11 })).rejects.toBeInstanceOf(
      SizeMismatchError,
    );
    expect(await store.head(short)).toBeNull();

    const long = newKey("long.bin");
    const source = generatedBytes(6 * MB, "too-long");
    await expect(store.put(long, source.stream, { contentType: "application/octet-stream", size: 5 * MB })).rejects.toBeInstanceOf(SizeMismatchError);
    expect(await store.head(long)).toBeNull();
    expect(await backend.leftovers()).toBe(0);
  });

  it("publishes nothing when the source stream fails midway", async () => {
    const key = newKey("broken.bin");
    async function* failing() {
      yield Buffer.alloc(6 * MB, 1);
      throw new Error("source went away");
    }
    await expect(store.put(key, Readable.from(failing()), { contentType: "application/octet-stream" })).rejects.toThrow("source went away");
    expect(await store.head(key)).toBeNull();
    expect(await backend.leftovers()).toBe(0);
  });

  it("stops and publishes nothing when the caller aborts a put", async () => {
    const key = newKey("cancelled.mp4");
    const controller = new AbortController();
    const source = generatedBytes(20 * MB, "cancel");
    let sent = 0;
    const body = source.stream.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          sent += chunk.length;
          if (sent >= 7 * MB && !controller.signal.aborted) controller.abort(new Error("task cancelled"));
          callback(null, chunk);
        },
      }),
    );
    await expect(store.put(key, body, { contentType: "video/mp4", signal: controller.signal })).rejects.toThrow(/cancelled|abort/i);
    expect(sent).toBeLessThan(20 * MB);
    expect(await store.head(key)).toBeNull();
    expect(await backend.leftovers()).toBe(0);
  });

  it("keeps a two-phase upload invisible until commit, then shows the whole object", async () => {
    const prefix = newKey("package").replace(/package$/, "");
    const key = `${prefix}video.mp4`;
    const source = generatedBytes(11 * MB + 5, "two-phase");
    backend.commands.length = 0;
    const pending = await store.beginUpload(key, { contentType: "video/mp4" });
    expect(pending.key).toBe(key);

    // Write everything but do not end the stream: parts are already on their way.
    for await (const chunk of source.stream) {
      if (!pending.writable.write(chunk)) await new Promise((resolve) => pending.writable.once("drain", resolve));
    }
    expect(pending.bytesWritten()).toBe(11 * MB + 5);
    if (store.kind === "s3") expect(backend.commands.filter((name) => name === "UploadPartCommand").length).toBeGreaterThanOrEqual(1);

    expect(await store.head(key)).toBeNull();
    await expect(store.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await collect(store.list(prefix))).toEqual([]);

    const result = await pending.commit();
    expect(result.size).toBe(11 * MB + 5);
    expect(await collect(store.list(prefix))).toEqual([key]);
    const got = await store.get(key);
    expect(got.contentType).toBe("video/mp4");
    expect(await digestStream(got.body)).toEqual({ sha256: source.sha256(), size: 11 * MB + 5 });
    expect(await pending.commit()).toEqual(result);
    await pending.abort();
    expect(await store.head(key)).not.toBeNull();
    expect(await backend.leftovers()).toBe(0);
  });

  it("commits an empty two-phase upload as an empty object", async () => {
    const key = newKey("empty.txt");
    const pending = await store.beginUpload(key, { contentType: "text/plain" });
    const result = await pending.commit();
    expect(result.size).toBe(0);
    const got = await store.get(key);
    expect(got.size).toBe(0);
    expect(await readAll(got.body)).toHaveLength(0);
  });

  it("takes a whole source with write() and checks the declared size at commit", async () => {
    const key = newKey("declared.bin");
    const pending = await store.beginUpload(key, { contentType: "application/octet-stream", size: 1000 });
    await pending.write(Readable.from([Buffer.alloc(999, 7)]));
    await expect(pending.commit()).rejects.toBeInstanceOf(SizeMismatchError);
    expect(await store.head(key)).toBeNull();
    expect(await backend.leftovers()).toBe(0);
  });

  it("leaves nothing behind when a two-phase upload is aborted", async () => {
    const key = newKey("aborted.mp4");
    const pending = await store.beginUpload(key, { contentType: "video/mp4" });
    const source = generatedBytes(7 * MB, "abort");
    for await (const chunk of source.stream) {
      if (!pending.writable.write(chunk)) await new Promise((resolve) => pending.writable.once("drain", resolve));
    }
    expect(await backend.leftovers()).toBe(1);
    await pending.abort();
    await pending.abort();
    expect(await backend.leftovers()).toBe(0);
    expect(await store.head(key)).toBeNull();
    await expect(pending.commit()).rejects.toThrow(/aborted/);
    expect(await store.head(key)).toBeNull();
  });

  it("lists by prefix and deletes whole folders only", async () => {
    const scope = { projectId: `prj_${randomToken(10)}`, fileId: `file_${randomToken(10)}` };
    const keys = [
      packageEntryKey({ ...scope, path: "master.m3u8" }),
      packageEntryKey({ ...scope, path: "720p/index.m3u8" }),
      packageEntryKey({ ...scope, path: "720p/segment-00001.ts" }),
      packageEntryKey({ ...scope, path: "720p-extra/segment-00001.ts" }),
    ];
    for (const key of keys) await store.put(key, Readable.from([Buffer.from(key)]), { contentType: "application/octet-stream" });
    const root = keys[0]!.replace(/master\.m3u8$/, "");

    expect(await collect(store.list(root))).toEqual([...keys].sort());
    expect(await collect(store.list(`${root}720p/`))).toEqual([keys[1], keys[2]].sort());
    expect(await collect(store.list(`${root}720p`))).toEqual([keys[1], keys[2], keys[3]].sort());
    expect(await collect(store.list(`${root}nothing/`))).toEqual([]);

    await expect(store.deletePrefix(`${root}720p`)).rejects.toThrow(/ending in '\/'/);
    expect(await store.deletePrefix(`${root}720p/`)).toBe(2);
    expect(await collect(store.list(root))).toEqual([keys[0], keys[3]].sort());
    expect(await store.deletePrefix(root)).toBe(2);
    expect(await collect(store.list(root))).toEqual([]);
  });

  it("refuses keys that could escape or collide with the store's own files", async () => {
    for (const key of ["../escape", "/absolute", "a//b", "a/./b", "a/../b", ".tmp/x", "a\\b", "a/b\u0000", "", "trailing/"]) {
      await expect(store.put(key, Readable.from([Buffer.from("x")]), { contentType: "text/plain" }), key).rejects.toThrow(/Invalid storage key/);
    }
    await expect(store.head("../../etc/passwd")).rejects.toThrow(/Invalid storage key/);
    await expect(collect(store.list("../"))).rejects.toThrow(/Invalid storage key/);
  });

  it("sweeps stale leftovers of dead writers but not its own uploads or fresh ones", async () => {
    const own = backend.sibling();
    const dead = backend.sibling();
    const writeSome = async (target: Store, key: string) => {
      const before = await backend.leftovers();
      const pending = await target.beginUpload(key, { contentType: "video/mp4" });
      pending.writable.write(Buffer.alloc(MIN_PART_SIZE + 1, 3));
      // Until the upload is visible where the sweeper looks (a temp file, or a multipart upload holding the first part).
      await waitFor(async () => (await backend.leftovers()) > before, 10_000, `the upload of ${key} to appear`);
      return pending;
    };
    const mine = await writeSome(own, newKey("mine.mp4"));
    const abandoned = await writeSome(dead, newKey("dead.mp4"));
    await backend.age(2 * 3600_000);
    const fresh = await writeSome(dead, newKey("fresh.mp4"));
    expect(await backend.leftovers()).toBe(3);

    expect(await own.sweepAbandoned(3600_000)).toEqual({ removed: 1 });
    expect(await backend.leftovers()).toBe(2);

    // The fresh one is younger than the threshold; the own one is protected while open.
    expect(await own.sweepAbandoned(60_000)).toEqual({ removed: 0 });
    await mine.abort();
    await fresh.abort();
    // The dead writer's upload is already gone; its abort finds nothing and does not fail.
    await abandoned.abort();
    expect(await backend.leftovers()).toBe(0);
  });
});

describe("local store extras", () => {
  let root: string;
  let store: Store;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "mediabit-local-extras-"));
    store = createLocalStore({ root });
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("exposes an object's own file for tools that read paths", async () => {
    const key = newKey("input.mov");
    await store.put(key, Readable.from([Buffer.from("movie bytes")]), { contentType: "video/quicktime" });
    const file = store.localPath?.(key);
    expect(file).toBe(path.join(root, ...key.split("/")));
    expect(readFileSync(file!, "utf8")).toBe("movie bytes");
    expect(() => store.localPath?.("../outside")).toThrow(/Invalid storage key/);
  });

  it("writes a content-type sidecar only when the key's extension does not imply the type", async () => {
    const sidecars = async () => (await readdir(path.join(root, ".meta"), { recursive: true }).catch(() => [])).filter((name) => name.endsWith(".json"));
    const before = (await sidecars()).length;
    const implied = newKey("frame.webp");
    await store.put(implied, Readable.from([Buffer.from("webp bytes")]), { contentType: "image/webp" });
    expect(await store.head(implied)).toMatchObject({ contentType: "image/webp" });
    expect((await sidecars()).length).toBe(before);
    const own = newKey("notes.bin");
    await store.put(own, Readable.from([Buffer.from("notes")]), { contentType: "application/x-notes" });
    expect(await store.head(own)).toMatchObject({ contentType: "application/x-notes" });
    expect((await sidecars()).length).toBe(before + 1);
    await store.delete(own);
    expect((await sidecars()).length).toBe(before);
  });

  it("adopts a finished local file by moving it into place", async () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), "mediabit-scratch-"));
    try {
      const file = path.join(scratch, "out.mp4");
      await writeFile(file, "rendered output");
      const key = newKey("out.mp4");
      // A brand-new store: adopting must not depend on an earlier write having made `.tmp/`.
      const fresh = createLocalStore({ root: path.join(root, "fresh") });
      const first = path.join(scratch, "first.mp4");
      await writeFile(first, "x");
      expect((await fresh.stageLocalFile!(newKey("first.mp4"), first, { contentType: "video/mp4" }).commit()).size).toBe(1);
      const result = await store.stageLocalFile!(key, file, { contentType: "video/mp4", size: 15 }).commit();
      expect(result.size).toBe(15);
      expect(existsSync(file)).toBe(false);
      expect(await store.head(key)).toMatchObject({ size: 15, contentType: "video/mp4", etag: result.etag });

      const wrong = path.join(scratch, "wrong.mp4");
      await writeFile(wrong, "short");
      const wrongKey = newKey("wrong.mp4");
      await expect(store.stageLocalFile!(wrongKey, wrong, { contentType: "video/mp4", size: 6 }).commit()).rejects.toBeInstanceOf(SizeMismatchError);
      expect(await store.head(wrongKey)).toBeNull();

      // Staged, then given up (the transaction it was for failed): nothing appears, the file stays, no metadata is left.
      const kept = path.join(scratch, "kept.mp4");
      await writeFile(kept, "not published");
      const keptKey = newKey("kept.mp4");
      await store.stageLocalFile!(keptKey, kept, { contentType: "video/mp4" }).abort();
      expect(await store.head(keptKey)).toBeNull();
      expect(existsSync(kept)).toBe(true);
      expect((await readdir(path.join(root, ".tmp"))).filter((name) => name.endsWith(".meta"))).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  const otherDisk = existsSync("/dev/shm") && statSync("/dev/shm").dev !== statSync(os.tmpdir()).dev ? "/dev/shm" : null;
  it.skipIf(!otherDisk)("adopts a file from another file system by copying it atomically", async () => {
    const scratch = mkdtempSync(path.join(otherDisk!, "mediabit-scratch-"));
    try {
      const file = path.join(scratch, "out.bin");
      const data = await generatedBuffer(2 * MB, "cross-device");
      await writeFile(file, data);
      const key = newKey("out.bin");
      await store.stageLocalFile!(key, file, { contentType: "application/octet-stream" }).commit();
      expect(existsSync(file)).toBe(false);
      expect(sha256Of(await readAll((await store.get(key)).body))).toBe(sha256Of(data));
      expect(await readdir(path.join(root, ".tmp"))).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("has no local paths on S3", () => {
    const client = createS3Client({ endpoint: s3.endpoint, region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true });
    const remote = createS3Store({ client, bucket: BUCKET });
    expect(remote.localPath).toBeUndefined();
    expect(remote.stageLocalFile).toBeUndefined();
    remote.close();
  });
});

describe.each([
  ["local disk", newLocalBackend],
  ["S3 (s3rver)", newS3Backend],
] as const)("copyObjectToFile from %s", (_name, create) => {
  it("streams a stored object into a local file", async () => {
    const backend = create();
    const scratch = mkdtempSync(path.join(os.tmpdir(), "mediabit-copy-"));
    try {
      const key = newKey("in.bin");
      const data = await generatedBuffer(3 * MB + 1, "copy");
      await backend.store.put(key, Readable.from([data]), { contentType: "application/x-test" });
      const target = path.join(scratch, "in.bin");
      expect(await copyObjectToFile(backend.store, key, target)).toEqual({ size: data.length, contentType: "application/x-test" });
      expect(sha256Of(readFileSync(target))).toBe(sha256Of(data));
      await expect(copyObjectToFile(backend.store, newKey("missing.bin"), path.join(scratch, "missing"))).rejects.toBeInstanceOf(ObjectNotFoundError);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      await backend.close();
    }
  });
});
