// The verified-key memo: entries live KEY_CACHE_TTL_MS, a change forgets them all, and a lookup that was under way
// during a change never stores what it read. Through authenticateKey: a remembered key stops working when revoked.
import { describe, expect, it } from "vitest";
import { forgetCachedKeys, KEY_CACHE_TTL_MS, keyCacheGeneration, recallKey, rememberKey } from "@/lib/keys/key-cache";
import { authenticateKey, createKey, revokeKey, updateKey } from "@/lib/keys/keys";
import { call, createTestProject } from "@/tests/helpers/api";

describe("key cache", () => {
  it("answers within the TTL and not after it", () => {
    const now = 1_000_000;
    rememberKey("hash-ttl", { value: "v", lastUsedAt: null }, keyCacheGeneration(), now);
    expect(recallKey("hash-ttl", now + KEY_CACHE_TTL_MS - 1)?.value).toBe("v");
    expect(recallKey("hash-ttl", now + KEY_CACHE_TTL_MS)).toBeUndefined();
  });

  it("forgets everything on a change, and drops a lookup that began before it", () => {
    rememberKey("hash-a", { value: "a", lastUsedAt: null }, keyCacheGeneration());
    const began = keyCacheGeneration();
    forgetCachedKeys();
    expect(recallKey("hash-a")).toBeUndefined();
    rememberKey("hash-b", { value: "stale", lastUsedAt: null }, began);
    expect(recallKey("hash-b")).toBeUndefined();
  });

  it("stops a remembered key the moment it is paused or revoked in this process", async () => {
    const p = await createTestProject("latest");
    const scope = { orgId: p.orgId, projectId: p.projectId };
    const { key, secret } = await createKey(scope, { name: "cached" });
    expect((await authenticateKey(`Bearer ${secret}`)).keyId).toBe(key.id);
    expect((await authenticateKey(`Bearer ${secret}`)).keyId).toBe(key.id); // from the cache

    await updateKey(scope, key.id, { status: "paused" });
    await expect(authenticateKey(`Bearer ${secret}`)).rejects.toMatchObject({ code: "token_invalid", message: expect.stringContaining("paused") });
    await updateKey(scope, key.id, { status: "active" });
    expect((await call("GET", "/api/keys", { key: secret })).status).toBe(200);

    await revokeKey(scope, key.id);
    const after = await call("GET", "/api/keys", { key: secret, headers: { "Accept-Version": "latest" } });
    expect(after.status).toBe(401);
    expect(after.body.message).toContain("revoked");
  });

  it("renders in the project's new API version right after it changes", async () => {
    const p = await createTestProject("2025-01-01");
    expect((await call("GET", "/api/connections", { key: p.key })).body).toMatchObject({ data: [] });
    await call("PATCH", `/api/projects/${p.projectId}`, { key: p.adminKey, body: { api_version: "2025-08-20" } });
    expect((await call("GET", "/api/connections", { key: p.key })).body).toEqual([]);
  });
});
