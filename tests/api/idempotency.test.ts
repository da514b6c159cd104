import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { claimIdempotencyKey, fingerprintRequest } from "@/lib/api/idempotency";
import { call, createTestProject } from "@/tests/helpers/api";

const body = { endpoint: "http://127.0.0.1:9", access_key_id: "a", secret_access_key: "secret-0001" };

async function connections(projectId: string): Promise<number> {
  return (await db()).connection.count({ where: { projectId } });
}

describe("Idempotency-Key on POST", () => {
  it("replays the first response with 200 and Idempotent-Replayed, creating nothing", async () => {
    const p = await createTestProject("latest");
    const first = await call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "k-1" } });
    expect(first.status).toBe(201);
    const second = await call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "k-1" } });
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    expect(await connections(p.projectId)).toBe(1);
  });

  it("answers 422 when the same key comes with a different body", async () => {
    const p = await createTestProject("latest");
    await call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "k-2" } });
    const other = await call("POST", "/api/connections", { key: p.key, body: { ...body, name: "other" }, headers: { "Idempotency-Key": "k-2" } });
    expect(other.status).toBe(422);
    expect(other.body.kind).toBe("idempotency_conflict");
    expect(await connections(p.projectId)).toBe(1);
  });

  it("answers 409 while the first request with the key is still running", async () => {
    const p = await createTestProject("latest");
    const fingerprint = fingerprintRequest("POST", "/api/connections", JSON.stringify(body));
    await claimIdempotencyKey({ projectId: p.projectId, apiKeyId: p.keyId }, "k-3", fingerprint, "http://localhost:3000");
    const retry = await call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "k-3" } });
    expect(retry.status).toBe(409);
    expect(retry.body.kind).toBe("idempotency_in_progress");
    expect(await connections(p.projectId)).toBe(0);
  });

  it("does not remember validation failures, so a fixed retry with the same key succeeds", async () => {
    const p = await createTestProject("latest");
    const bad = await call("POST", "/api/connections", { key: p.key, body: { ...body, endpoint: "nope" }, headers: { "Idempotency-Key": "k-4" } });
    expect(bad.status).toBe(400);
    const good = await call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "k-4" } });
    expect(good.status).toBe(201);
  });

  it("scopes keys to the project", async () => {
    const a = await createTestProject("latest");
    const b = await createTestProject("latest");
    const ra = await call("POST", "/api/connections", { key: a.key, body, headers: { "Idempotency-Key": "shared" } });
    const rb = await call("POST", "/api/connections", { key: b.key, body, headers: { "Idempotency-Key": "shared" } });
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(rb.body.id).not.toBe(ra.body.id);
  });

  it("lets only one of many concurrent requests with one key create", async () => {
    const p = await createTestProject("latest");
    const results = await Promise.all(
      Array.from({ length: 6 }, () => call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "race" } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 200 || s === 409)).toBe(true);
    expect(await connections(p.projectId)).toBe(1);
  });

  it("treats another key's same Idempotency-Key as a new request, authorised on its own", async () => {
    const p = await createTestProject("latest");
    const adminBody = { name: "ci admin", admin: true };
    const created = await call("POST", "/api/keys", { key: p.adminKey, body: adminBody, headers: { "Idempotency-Key": "shared-k" } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^ittybit_live_/);
    // The project's non-admin key sends the same request: it is refused, and hears nothing of the first response.
    const other = await call("POST", "/api/keys", { key: p.key, body: adminBody, headers: { "Idempotency-Key": "shared-k" } });
    expect(other.status).toBe(403);
    expect(other.body.kind).toBe("admin_required");
    expect(JSON.stringify(other.body)).not.toContain(created.body.secret);
    expect(JSON.stringify(other.body)).not.toContain(created.body.id);
    // A request it may make, with the same Idempotency-Key, is its own new request.
    const own = await call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "shared-k" } });
    expect(own.status).toBe(201);
    expect(own.headers.get("idempotent-replayed")).toBeNull();
  });

  it("replays a created key without its secret, which is never stored", async () => {
    const p = await createTestProject("2025-01-01");
    const first = await call("POST", "/api/keys", { key: p.adminKey, body: { name: "deploy" }, headers: { "Idempotency-Key": "once" } });
    expect(first.status).toBe(201);
    const secret = first.body.data.secret as string;
    expect(secret).toMatch(/^ittybit_live_/);
    const replay = await call("POST", "/api/keys", { key: p.adminKey, body: { name: "deploy" }, headers: { "Idempotency-Key": "once" } });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.data).toMatchObject({ id: first.body.data.id, secret: null, secret_notice: expect.stringContaining("shown once") });
    const rows = await (await db()).idempotencyRecord.findMany({ where: { projectId: p.projectId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body).not.toContain(secret);
    expect(rows[0]!.body).not.toContain(secret.slice(-20));
  });

  it("stores no request origin: a replay names the origin it was asked at", async () => {
    const p = await createTestProject("2025-01-01");
    const first = await call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "host-1", host: "a.example.com" } });
    expect(first.status).toBe(201);
    expect(first.body.links.self).toMatch(/^http:\/\/a\.example\.com\/api\/connections\//);
    const row = await (await db()).idempotencyRecord.findFirstOrThrow({ where: { projectId: p.projectId } });
    expect(row.body).not.toContain("a.example.com");
    const replay = await call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "host-1", host: "b.example.com" } });
    expect(replay.status).toBe(200);
    expect(replay.body.links.self).toBe(first.body.links.self.replace("a.example.com", "b.example.com"));
  });

  it("refuses an over-long key", async () => {
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "x".repeat(300) } });
    expect(res.status).toBe(400);
    expect(await connections(p.projectId)).toBe(0);
  });
});
