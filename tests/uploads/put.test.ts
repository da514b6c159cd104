// PUT /f/<alias>/<folder>/<filename>: simple uploads with an API key, signed uploads, versions on replace, the size
// limit and refused content — each checked against what delivery then serves and what the database holds.
import { readdir, readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { scratchDir } from "@/lib/files/scratch";
import { projectSigningSecret, signPath } from "@/lib/storage/signing";
import { call, createTestProject, dispatch, type TestProject } from "@/tests/helpers/api";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { aliasOf, download, problem, put, sha256, streamOf } from "./put-helpers";

let png: Buffer;
let otherPng: Buffer;

beforeAll(async () => {
  png = await readFile(await mediaFixture("png"));
  otherPng = await readFile(await mediaFixture("transparentPng"));
});

async function project(version = "2025-08-20"): Promise<TestProject & { alias: string }> {
  const p = await createTestProject(version);
  return { ...p, alias: await aliasOf(p.projectId) };
}

async function filesIn(projectId: string) {
  return (await db()).file.findMany({ where: { projectId } });
}

describe("PUT /f/<alias>/<path> with an API key", () => {
  it("creates the file at the path (201, version 1) and delivery serves the same bytes", async () => {
    const p = await project();
    const res = await put(`/f/${p.alias}/avatars/user-1.png`, png, { key: p.key });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: "image", type: "image/png", width: 320, height: 200, filesize: png.length, folder: "avatars", filename: "user-1.png", status: "ready", version: 1 });
    expect(res.body.id).toMatch(/^file_/);
    expect(res.body.url).toBe(`http://localhost:3000/f/${p.alias}/avatars/user-1.png`);
    const served = await download(res.body.url);
    expect(served.status).toBe(200);
    expect(sha256(served.bytes)).toBe(sha256(png));
    const upload = await (await db()).upload.findFirstOrThrow({ where: { projectId: p.projectId } });
    expect(upload).toMatchObject({ kind: "put", status: "completed", fileId: res.body.id, apiKeyId: p.keyId });
  });

  it("replaces the bytes of the file at a taken path: same id, version 2, new bytes delivered, one file", async () => {
    const p = await project();
    const first = await put(`/f/${p.alias}/a.png`, png, { key: p.key });
    const second = await put(`/f/${p.alias}/a.png`, otherPng, { key: p.key });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ id: first.body.id, version: 2, width: 200, height: 100, filesize: otherPng.length });
    expect(sha256((await download(second.body.url)).bytes)).toBe(sha256(otherPng));
    const files = await filesIn(p.projectId);
    expect(files).toHaveLength(1);
    expect(files[0]!.version).toBe(2);
  });

  it("gives simultaneous PUTs to one path one version each, and delivers the last one's bytes", async () => {
    const p = await project();
    await put(`/f/${p.alias}/race.png`, png, { key: p.key });
    const results = await Promise.all([put(`/f/${p.alias}/race.png`, otherPng, { key: p.key }), put(`/f/${p.alias}/race.png`, png, { key: p.key })]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.body.version).sort()).toEqual([2, 3]);
    const last = results.find((r) => r.body.version === 3)!;
    const served = await download(last.body.url);
    expect(served.bytes.length).toBe(last.body.filesize);
    expect(sha256(served.bytes)).toBe(sha256(last.body.filesize === png.length ? png : otherPng));
    const files = await filesIn(p.projectId);
    expect(files).toHaveLength(1);
    expect(files[0]!.version).toBe(3);
  });

  it("answers in the project's envelope with the version, and sanitises the names taken from the path", async () => {
    const p = await project("2025-01-01");
    const res = await put(`/f/${p.alias}/My%20Photos/sub%2F..%2Fdir/summer%20day.png`, png, { key: p.key });
    expect(res.status).toBe(201);
    expect(res.body.error).toBeNull();
    expect(res.body.data).toMatchObject({ folder: "My-Photos/sub/dir", filename: "summer-day.png", version: 1 });
    // The current (C/D) profile's file object has no version.
    const latest = await project("latest");
    const bare = await put(`/f/${latest.alias}/x.png`, png, { key: latest.key });
    expect(bare.status).toBe(201);
    expect(bare.body).not.toHaveProperty("version");
  });

  it("refuses a missing, unknown or revoked key with 401 and a key of another project with 403, storing nothing", async () => {
    const p = await project();
    const other = await project();
    const none = await put(`/f/${p.alias}/x.png`, png);
    expect(none.status).toBe(401);
    expect(problem(none).kind).toBe("token_missing");
    const wrong = await put(`/f/${p.alias}/x.png`, png, { key: "itb_not_a_real_key_at_all_0123456789" });
    expect(wrong.status).toBe(401);
    expect(problem(wrong).kind).toBe("token_invalid");
    const foreign = await put(`/f/${p.alias}/x.png`, png, { key: other.key });
    expect(foreign.status).toBe(403);
    expect(foreign.body.kind).toBe("forbidden");
    const revoked = await call("DELETE", `/api/keys/${p.keyId}`, { key: p.adminKey });
    expect(revoked.status).toBe(200);
    expect((await put(`/f/${p.alias}/x.png`, png, { key: p.key })).status).toBe(401);
    expect(await filesIn(p.projectId)).toHaveLength(0);
    expect(await filesIn(other.projectId)).toHaveLength(0);
    expect(await (await db()).upload.count({ where: { projectId: { in: [p.projectId, other.projectId] } } })).toBe(0);
  });

  it("refuses an HTML page with 400 and stores no file", async () => {
    const p = await project();
    const html = await readFile(await mediaFixture("htmlPage"));
    const res = await put(`/f/${p.alias}/page.png`, html, { key: p.key });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/HTML/);
    expect(await filesIn(p.projectId)).toHaveLength(0);
    const upload = await (await db()).upload.findFirstOrThrow({ where: { projectId: p.projectId } });
    expect(upload.status).toBe("failed");
    expect((await download(`/f/${p.alias}/page.png`)).status).toBe(404);
  });

  it("refuses a URL that names no file with 400", async () => {
    const p = await project();
    const res = await put(`/f/${p.alias}/folder/%20`, png, { key: p.key });
    expect(res.status).toBe(400);
    expect(await filesIn(p.projectId)).toHaveLength(0);
  });
});

describe("PUT to a signed URL", () => {
  async function signed(p: TestProject, body: Record<string, unknown>): Promise<string> {
    const res = await call("POST", "/api/signatures", { key: p.key, body, headers: { "Accept-Version": "2025-08-20" } });
    expect(res.status).toBe(201);
    const url = new URL(res.body.url);
    return url.pathname + url.search;
  }

  it("uploads with a put signature from POST /api/signatures, no key needed, with or without method=put in the URL", async () => {
    const p = await project();
    const url = await signed(p, { folder: "uploads", filename: "in.png", method: "put" });
    expect(url).toContain("method=put");
    const res = await put(url, png);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ folder: "uploads", filename: "in.png", version: 1 });
    expect(sha256((await download(res.body.url)).bytes)).toBe(sha256(png));
    const again = await put(url.replace("&method=put", ""), otherPng);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: res.body.id, version: 2 });
    const upload = await (await db()).upload.findFirstOrThrow({ where: { projectId: p.projectId } });
    expect(upload.apiKeyId).toBeNull();
  });

  it("lets a browser on another origin PUT: the preflight allows it, and answers (refusals too) are readable cross-origin", async () => {
    const p = await project();
    const url = await signed(p, { filename: "cors.png", method: "put" });
    const preflight = await dispatch(
      new Request(new URL(url, "http://localhost:3000"), { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "PUT", "access-control-request-headers": "content-type,content-range" } }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/Content-Range/);
    const res = await put(url, png, { headers: { origin: "https://app.example", "content-type": "image/png" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-expose-headers")).toMatch(/Range/);
    const refused = await put(url.replace("/cors.png", "/other.png"), png, { headers: { origin: "https://app.example" } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("refuses an expired, tampered, get-method or other-path signature with 403 and stores nothing", async () => {
    const p = await project();
    const secret = projectSigningSecret(p.projectId);
    const past = Math.floor(Date.now() / 1000) - 10;
    const expired = `/f/${p.alias}/e.png?expiry=${past}&method=put&signature=${signPath({ path: "e.png", expiry: past, method: "put", secret })}`;
    const getUrl = await signed(p, { filename: "g.png", method: "get" });
    const putUrl = await signed(p, { filename: "t.png", method: "put" });
    const tampered = putUrl.replace(/signature=(.)/, (_m, c: string) => `signature=${c === "A" ? "B" : "A"}`);
    const otherPath = putUrl.replace("/t.png", "/u.png");
    const cases = [
      [expired, /expired/],
      [getUrl, /another method/],
      [getUrl.replace("&method=get", ""), /another method/],
      [tampered, /does not match/],
      [otherPath, /does not match/],
    ] as const;
    for (const [url, message] of cases) {
      const res = await put(url, png);
      expect(res.status, url).toBe(403);
      expect(problem(res).message).toMatch(message);
    }
    expect(await filesIn(p.projectId)).toHaveLength(0);
  });

  it("answers 404 for a signed URL under an unknown alias", async () => {
    const p = await project();
    const url = await signed(p, { filename: "n.png", method: "put" });
    const res = await put(url.replace(`/f/${p.alias}/`, "/f/no-such-project/"), png);
    expect(res.status).toBe(404);
  });
});

describe("the size limit", () => {
  const LIMIT = 50_000;
  let previous: string | undefined;

  beforeAll(() => {
    previous = process.env.MEDIABIT_MAX_FILE_BYTES;
    process.env.MEDIABIT_MAX_FILE_BYTES = String(LIMIT);
    resetEnvForTests();
  });

  afterAll(() => {
    if (previous === undefined) delete process.env.MEDIABIT_MAX_FILE_BYTES;
    else process.env.MEDIABIT_MAX_FILE_BYTES = previous;
    resetEnvForTests();
  });

  async function scratchLeft(): Promise<string[]> {
    return (await readdir(scratchDir()).catch(() => [] as string[])).filter((name) => name.startsWith("put-"));
  }

  it("answers 413 before reading a body whose Content-Length is over the limit", async () => {
    const p = await project();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
        if (pulled > 100) controller.close();
      },
    });
    const res = await put(`/f/${p.alias}/big.png`, body, { key: p.key, headers: { "content-length": String(LIMIT + 1) } });
    expect(res.status).toBe(413);
    expect(res.body.kind).toBe("payload_too_large");
    // A ReadableStream pulls once to fill its queue when it is made; nothing more was read.
    expect(pulled).toBeLessThanOrEqual(1);
    expect(await filesIn(p.projectId)).toHaveLength(0);
  });

  it("answers 413 when a body without a length crosses the limit mid-stream, keeping nothing", async () => {
    const p = await project();
    const res = await put(`/f/${p.alias}/big.png`, streamOf(LIMIT * 3), { key: p.key });
    expect(res.status).toBe(413);
    expect(await filesIn(p.projectId)).toHaveLength(0);
    expect(await (await db()).upload.count({ where: { projectId: p.projectId } })).toBe(0);
    expect(await scratchLeft()).toEqual([]);
  });

  it("still takes a file under the limit", async () => {
    const p = await project();
    expect(png.length).toBeLessThan(LIMIT);
    expect((await put(`/f/${p.alias}/small.png`, png, { key: p.key })).status).toBe(201);
  });
});
