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
    await claimIdempotencyKey(p.projectId, "k-3", fingerprint);
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

  it("refuses an over-long key", async () => {
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/connections", { key: p.key, body, headers: { "Idempotency-Key": "x".repeat(300) } });
    expect(res.status).toBe(400);
    expect(await connections(p.projectId)).toBe(0);
  });
});
