import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/crypto/secrets";
import { call, createTestProject, data, type TestProject } from "@/tests/helpers/api";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ["media", "archive"] });
});
afterAll(async () => {
  await s3.close();
});

const seedBody = {
  name: "Production S3",
  kind: "s3",
  endpoint: "https://s3.us-east-1.amazonaws.com",
  region: "us-east-1",
  access_key_id: "AKIA...",
  secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

async function count(p: TestProject): Promise<number> {
  return (await db()).connection.count({ where: { projectId: p.projectId } });
}

describe("POST /api/connections", () => {
  it("creates the seed 000 connection, masks the secret and encrypts it at rest", async () => {
    const p = await createTestProject();
    const res = await call("POST", "/api/connections", { key: p.key, body: seedBody });
    expect(res.status).toBe(201);
    const c = data(res);
    expect(c).toMatchObject({
      object: "storage_connection",
      kind: "s3",
      name: "Production S3",
      endpoint: "https://s3.us-east-1.amazonaws.com",
      region: "us-east-1",
      access_key_id: "AKIA...",
      secret_access_key: "****EKEY",
      is_default: true,
    });
    expect(c.id).toMatch(/^con_[0-9A-Za-z]{16}$/);
    expect(c.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(res.body.links.self).toBe(`http://localhost:3000/api/connections/${c.id}`);
    const row = await (await db()).connection.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.secretEncrypted).not.toContain("EXAMPLEKEY");
    expect(decryptSecret(row.secretEncrypted)).toBe(seedBody.secret_access_key);
  });

  it("defaults kind to s3 and region to auto, and names the connection after its endpoint", async () => {
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/connections", {
      key: p.key,
      body: { endpoint: "https://abc.r2.cloudflarestorage.com", access_key_id: "k", secret_access_key: "s123" },
    });
    expect(res.body).toMatchObject({ kind: "s3", region: "auto", name: "abc.r2.cloudflarestorage.com", force_path_style: true });
  });

  it.each([
    [{ ...seedBody, kind: "gcs" }, "kind"],
    [{ ...seedBody, endpoint: "ftp://example.com" }, "endpoint"],
    [{ ...seedBody, endpoint: "not a url" }, "endpoint"],
    [{ ...seedBody, region: "US EAST" }, "region"],
    [{ ...seedBody, access_key_id: undefined }, "access_key_id"],
    [{ ...seedBody, secret_access_key: "" }, "secret_access_key"],
    [{ ...seedBody, bucket: "Bad_Bucket" }, "bucket"],
    [{ ...seedBody, is_default: "yes" }, "is_default"],
    [{ ...seedBody, colour: "blue" }, "colour"],
  ])("refuses %o with a 400 naming `%s` and stores nothing", async (body, field) => {
    const p = await createTestProject();
    const res = await call("POST", "/api/connections", { key: p.key, body });
    expect(res.status).toBe(400);
    expect(res.body.error.kind).toBe("request_invalid");
    expect(res.body.error.message).toContain(field);
    expect(await count(p)).toBe(0);
  });

  it("refuses a duplicate name with a 409", async () => {
    const p = await createTestProject("latest");
    await call("POST", "/api/connections", { key: p.key, body: seedBody });
    const again = await call("POST", "/api/connections", { key: p.key, body: seedBody });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain("Production S3");
    expect(await count(p)).toBe(1);
  });

  it("verifies against a real S3 server before saving when asked", async () => {
    const p = await createTestProject("latest");
    const good = await call("POST", "/api/connections", {
      key: p.key,
      body: { name: "local", endpoint: s3.endpoint, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey, bucket: "media", verify: true },
    });
    expect(good.status).toBe(201);
    expect(good.body.verified_at).not.toBeNull();
    const badBucket = await call("POST", "/api/connections", {
      key: p.key,
      body: { name: "missing", endpoint: s3.endpoint, access_key_id: s3.accessKeyId, secret_access_key: "x", bucket: "nope-bucket", verify: true },
    });
    expect(badBucket.status).toBe(422);
    expect(badBucket.body).toMatchObject({ kind: "connection_verification_failed", message: expect.stringContaining("NoSuchBucket") });
    const badKey = await call("POST", "/api/connections", {
      key: p.key,
      body: { name: "badkey", endpoint: s3.endpoint, access_key_id: "WRONG", secret_access_key: "x", verify: true },
    });
    expect(badKey.status).toBe(422);
    expect(badKey.body.message).toContain("InvalidAccessKeyId");
    expect(await count(p)).toBe(1);
  });
});

describe("connections lifecycle (seed 000)", () => {
  it.each(["2025-01-01", "2025-08-20", "latest"])("create, list, set default, rename, delete in version %s", async (version) => {
    const p = await createTestProject(version);
    const a = data(await call("POST", "/api/connections", { key: p.key, body: seedBody }));
    const b = data(await call("POST", "/api/connections", { key: p.key, body: { ...seedBody, name: "Backup" } }));
    expect(a.is_default).toBe(true);
    expect(b.is_default).toBe(false);

    const list = data(await call("GET", "/api/connections", { key: p.key }));
    expect(list.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);

    const flipped = await call("PATCH", `/api/connections/${b.id}`, { key: p.key, body: { is_default: true } });
    expect(flipped.status).toBe(200);
    expect(data(flipped).is_default).toBe(true);
    const after = data(await call("GET", "/api/connections", { key: p.key }));
    expect(after.filter((c: { is_default: boolean }) => c.is_default).map((c: { id: string }) => c.id)).toEqual([b.id]);

    const renamed = data(await call("PATCH", `/api/connections/${a.id}`, { key: p.key, body: { name: "Updated S3 Connection" } }));
    expect(renamed.name).toBe("Updated S3 Connection");
    expect(renamed.secret_access_key).toBe("****EKEY");

    const deleted = await call("DELETE", `/api/connections/${b.id}`, { key: p.key });
    expect(data(deleted)).toEqual({ message: `${b.id} deleted` });
    const gone = await call("GET", `/api/connections/${b.id}`, { key: p.key });
    expect(gone.status).toBe(404);
    // The default moved to the remaining connection.
    expect(data(await call("GET", `/api/connections/${a.id}`, { key: p.key })).is_default).toBe(true);
  });

  it("accepts D-generation conn_ ids", async () => {
    const p = await createTestProject("latest");
    const c = (await call("POST", "/api/connections", { key: p.key, body: seedBody })).body;
    const res = await call("GET", `/api/connections/${c.id.replace("con_", "conn_")}`, { key: p.key });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(c.id);
  });

  it("keeps one default when two requests flip it at once", async () => {
    const p = await createTestProject("latest");
    const ids: string[] = [];
    for (const name of ["one", "two", "three", "four"]) ids.push((await call("POST", "/api/connections", { key: p.key, body: { ...seedBody, name } })).body.id);
    await Promise.all(ids.map((id) => call("PATCH", `/api/connections/${id}`, { key: p.key, body: { is_default: true } })));
    const defaults = await (await db()).connection.count({ where: { projectId: p.projectId, isDefault: true } });
    expect(defaults).toBe(1);
  });

  it("changes nothing on a bad update", async () => {
    const p = await createTestProject("latest");
    const c = (await call("POST", "/api/connections", { key: p.key, body: seedBody })).body;
    const res = await call("PATCH", `/api/connections/${c.id}`, { key: p.key, body: { name: "ok", endpoint: "gopher://x" } });
    expect(res.status).toBe(400);
    expect((await call("GET", `/api/connections/${c.id}`, { key: p.key })).body.name).toBe("Production S3");
  });

  it("tests a saved connection against the S3 server and reports its error", async () => {
    const p = await createTestProject("latest");
    const c = (
      await call("POST", "/api/connections", {
        key: p.key,
        body: { name: "local", endpoint: s3.endpoint, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey },
      })
    ).body;
    const endpoint = await call("POST", `/api/connections/${c.id}/verify`, { key: p.key, body: {} });
    expect(endpoint.body).toMatchObject({ ok: true, checked: "endpoint", buckets: expect.arrayContaining(["media", "archive"]) });
    const bucket = await call("POST", `/api/connections/${c.id}/verify`, { key: p.key, body: { bucket: "archive" } });
    expect(bucket.body).toMatchObject({ ok: true, checked: "bucket", bucket: "archive", objects: 0 });
    const missing = await call("POST", `/api/connections/${c.id}/verify`, { key: p.key, body: { bucket: "nothing-here" } });
    expect(missing.body).toMatchObject({ ok: false, code: "NoSuchBucket", status: 404 });
  });
});
