// Who may change admin keys, the organisation's last admin key, and how much of a secret a listing shows.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createKey, listKeys, revokeKey, updateKey } from "@/lib/keys/keys";
import { call, createTestProject } from "@/tests/helpers/api";

async function statusOf(id: string): Promise<string> {
  return (await (await db()).apiKey.findUniqueOrThrow({ where: { id } })).status;
}

async function adminKeyId(projectId: string): Promise<string> {
  return (await (await db()).apiKey.findFirstOrThrow({ where: { projectId, admin: true } })).id;
}

describe("changing admin keys", () => {
  it("refuses a non-admin key pausing, renaming or revoking an admin key, and changes nothing", async () => {
    const p = await createTestProject("latest");
    const adminId = await adminKeyId(p.projectId);
    for (const [method, body] of [
      ["PATCH", { status: "paused" }],
      ["PATCH", { name: "mine now" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await call(method, `/api/keys/${adminId}`, { key: p.key, body });
      expect(res.status).toBe(403);
      expect(res.body.kind).toBe("admin_required");
    }
    const row = await (await db()).apiKey.findUniqueOrThrow({ where: { id: adminId } });
    expect(row).toMatchObject({ status: "active", name: "admin" });
    expect((await call("GET", "/api/projects", { key: p.adminKey })).status).toBe(200);
  });

  it("lets a non-admin key manage non-admin keys", async () => {
    const p = await createTestProject("latest");
    const other = await call("POST", "/api/keys", { key: p.key, body: { name: "worker" } });
    const paused = await call("PATCH", `/api/keys/${other.body.id}`, { key: p.key, body: { status: "paused" } });
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe("paused");
  });

  it("keeps the organisation's last active admin key: 409 on pause or revoke through the API", async () => {
    const p = await createTestProject("latest");
    const second = await call("POST", "/api/keys", { key: p.adminKey, body: { name: "second admin", admin: true } });
    expect(second.status).toBe(201);
    const firstId = (await (await db()).apiKey.findFirstOrThrow({ where: { projectId: p.projectId, admin: true, name: "admin" } })).id;
    // Two admin keys: the second may revoke the first...
    expect((await call("DELETE", `/api/keys/${firstId}`, { key: second.body.secret })).status).toBe(200);
    // ...and now it is the last one: it cannot be paused, nor revoked.
    const pause = await call("PATCH", `/api/keys/${second.body.id}`, { key: second.body.secret, body: { status: "paused" } });
    expect(pause.status).toBe(409);
    expect(pause.body).toMatchObject({ kind: "conflict", message: expect.stringContaining("last active admin key") });
    const revoke = await call("DELETE", `/api/keys/${second.body.id}`, { key: (await createKey({ orgId: p.orgId, projectId: p.projectId }, { name: "plain" })).secret });
    expect(revoke.status).toBe(403);
    expect(await statusOf(second.body.id)).toBe("active");
  });

  it("counts admin keys across the organisation's projects", async () => {
    const p = await createTestProject("latest");
    const adminId = await adminKeyId(p.projectId);
    const other = await call("POST", "/api/projects", { key: p.adminKey, body: { name: "Other" } });
    expect(other.status).toBe(201);
    const otherScope = { orgId: p.orgId, projectId: other.body.id };
    const { key: otherAdmin, secret } = await createKey(otherScope, { name: "other admin", admin: true });
    // The other project's admin key is still active: this one may be paused.
    expect((await call("PATCH", `/api/keys/${adminId}`, { key: p.adminKey, body: { status: "paused" } })).status).toBe(200);
    // Now the other project's is the organisation's last.
    const last = await call("PATCH", `/api/keys/${otherAdmin.id}`, { key: secret, body: { status: "paused" } });
    expect(last.status).toBe(409);
    expect(await statusOf(otherAdmin.id)).toBe("active");
  });

  it("lets only an owner change admin keys from the dashboard, and the owner may pause the last one", async () => {
    const p = await createTestProject("latest");
    const scope = { orgId: p.orgId, projectId: p.projectId };
    const adminId = await adminKeyId(p.projectId);
    await expect(updateKey(scope, adminId, { status: "paused" }, { actor: { kind: "member", owner: false } })).rejects.toMatchObject({ code: "owner_required" });
    await expect(revokeKey(scope, adminId, { actor: { kind: "member", owner: false } })).rejects.toMatchObject({ code: "owner_required" });
    await expect(createKey(scope, { name: "x", admin: true }, { actor: { kind: "member", owner: false } })).rejects.toMatchObject({ code: "owner_required" });
    expect(await statusOf(adminId)).toBe("active");
    const paused = await updateKey(scope, adminId, { status: "paused" }, { actor: { kind: "member", owner: true } });
    expect(paused.status).toBe("paused");
    const enabled = await updateKey(scope, adminId, { status: "active" }, { actor: { kind: "member", owner: true } });
    expect(enabled.status).toBe("active");
    // A member may still pause an ordinary key.
    expect((await updateKey(scope, p.keyId, { status: "paused" }, { actor: { kind: "member", owner: false } })).status).toBe("paused");
  });

  it("lets one of two concurrent revocations of the last two admin keys through", async () => {
    const p = await createTestProject("latest");
    const scope = { orgId: p.orgId, projectId: p.projectId };
    const a = await adminKeyId(p.projectId);
    const b = await createKey(scope, { name: "b", admin: true });
    const results = await Promise.allSettled([
      revokeKey(scope, a, { actor: { kind: "key", keyId: b.key.id, admin: true } }),
      revokeKey(scope, b.key.id, { actor: { kind: "key", keyId: a, admin: true } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await (await db()).apiKey.count({ where: { projectId: p.projectId, admin: true, status: "active" } })).toBe(1);
  });
});

describe("key prefixes in listings", () => {
  it("shows 4 characters past ittybit_live_ for generated keys", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/keys", { key: p.key, body: { name: "gen" } });
    const listed = (await call("GET", "/api/keys", { key: p.key })).body.find((k: { id: string }) => k.id === created.body.id);
    expect(listed.prefix).toBe(`${created.body.secret.slice(0, 17)}…`);
  });

  it("shows at most 4 characters of a short custom key, also for rows stored with a longer prefix", async () => {
    const p = await createTestProject("latest");
    const scope = { orgId: p.orgId, projectId: p.projectId };
    const custom = await createKey(scope, { name: "short", secret: "s3cr3t-custom-key" });
    expect(custom.key.prefix).toBe("s3cr…");
    // A row from before the fix kept 8 characters.
    await (await db()).apiKey.update({ where: { id: custom.key.id }, data: { prefix: "s3cr3t-c…" } });
    const listed = (await call("GET", "/api/keys", { key: p.key })).body.find((k: { id: string }) => k.id === custom.key.id);
    expect(listed.prefix).toBe("s3cr…");
    expect((await listKeys(scope)).find((k) => k.id === custom.key.id)?.prefix).toBe("s3cr…");
    const one = await call("GET", `/api/keys/${custom.key.id}`, { key: p.key });
    expect(one.body.prefix).toBe("s3cr…");
  });
});
