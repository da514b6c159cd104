import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call, createTestProject } from "@/tests/helpers/api";

describe("/api/keys", () => {
  it("shows a new key's secret once, stores only its hash, and the key works", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/keys", { key: p.key, body: { name: "CI" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: "key", name: "CI", status: "active", admin: false });
    expect(created.body.secret).toMatch(/^ittybit_live_[0-9A-Za-z]{40}$/);
    expect(typeof created.body.created_at).toBe("number");
    const row = await (await db()).apiKey.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(JSON.stringify(row)).not.toContain(created.body.secret);
    const fetched = await call("GET", `/api/keys/${created.body.id}`, { key: created.body.secret });
    expect(fetched.body.secret).toBeUndefined();
    expect(fetched.body.last_used_at).toEqual(expect.any(Number));
    const list = await call("GET", "/api/keys", { key: p.key });
    expect(list.body.map((k: { id: string }) => k.id)).toContain(created.body.id);
    expect(list.body.every((k: { secret?: string }) => k.secret === undefined)).toBe(true);
  });

  it("revokes a key so it answers 401 revoked, and refuses to revoke itself", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/keys", { key: p.key, body: { name: "temp" } });
    const self = await call("DELETE", `/api/keys/${created.body.id}`, { key: created.body.secret });
    expect(self.status).toBe(409);
    const revoked = await call("DELETE", `/api/keys/${created.body.id}`, { key: p.key });
    expect(revoked.body).toEqual({ message: `${created.body.id} deleted` });
    const after = await call("GET", "/api/connections", { key: created.body.secret, headers: { "Accept-Version": "latest" } });
    expect(after.status).toBe(401);
    expect(after.body.message).toContain("revoked");
  });

  it("pauses and resumes a key", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/keys", { key: p.key, body: { name: "pausable" } });
    await call("PATCH", `/api/keys/${created.body.id}`, { key: p.key, body: { status: "paused" } });
    const paused = await call("GET", "/api/keys", { key: created.body.secret });
    expect(paused.status).toBe(401);
    expect(paused.body.error.message).toContain("paused");
    await call("PATCH", `/api/keys/${created.body.id}`, { key: p.key, body: { status: "active" } });
    expect((await call("GET", "/api/keys", { key: created.body.secret })).status).toBe(200);
  });

  it("lets only admin keys mint admin keys", async () => {
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/keys", { key: p.key, body: { admin: true } });
    expect(res.status).toBe(403);
    expect((await call("POST", "/api/keys", { key: p.adminKey, body: { admin: true } })).status).toBe(201);
  });
});

describe("/api/projects", () => {
  it("needs an admin key", async () => {
    const p = await createTestProject("latest");
    const res = await call("GET", "/api/projects", { key: p.key });
    expect(res.status).toBe(403);
    expect(res.body.kind).toBe("admin_required");
  });

  it("creates, lists, updates and deletes projects of the organisation", async () => {
    const p = await createTestProject("2025-01-01");
    const created = await call("POST", "/api/projects", { key: p.adminKey, body: { name: "Staging Site", description: "pre-prod" } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ object: "project", name: "Staging Site", alias: "staging-site", api_version: "2025-01-01" });
    const list = await call("GET", "/api/projects", { key: p.adminKey });
    expect(list.body.meta).toMatchObject({ total: 2, limit: 12 });
    const pinned = await call("PATCH", `/api/projects/${created.body.data.id}`, { key: p.adminKey, body: { api_version: "latest" } });
    expect(pinned.body.data.api_version).toBe("latest");
    const badVersion = await call("PATCH", `/api/projects/${created.body.data.id}`, { key: p.adminKey, body: { api_version: "soon" } });
    expect(badVersion.status).toBe(400);
    const own = await call("DELETE", `/api/projects/${p.projectId}`, { key: p.adminKey });
    expect(own.status).toBe(409);
    const deleted = await call("DELETE", `/api/projects/${created.body.data.id}`, { key: p.adminKey });
    expect(deleted.body.data).toEqual({ message: `${created.body.data.id} deleted` });
  });

  it("pins the API version a project's keys get by default", async () => {
    const p = await createTestProject("2025-01-01");
    await call("PATCH", `/api/projects/${p.projectId}`, { key: p.adminKey, body: { api_version: "2025-08-20" } });
    const res = await call("GET", "/api/connections", { key: p.key });
    expect(res.body).toEqual([]);
  });
});
