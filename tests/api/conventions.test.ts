import { describe, expect, it } from "vitest";
import { call, createTestProject, data, listApiRoutes } from "@/tests/helpers/api";

describe("API conventions", () => {
  it("renders the enveloped profile by default with meta, data, error and links", async () => {
    const p = await createTestProject();
    const res = await call("GET", "/api/connections", { key: p.key });
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ type: "list", project_id: p.projectId, org_id: p.orgId, page: 1, total: 0, pages: 0 });
    expect(res.body.meta.request_id).toMatch(/^req_[0-9A-Za-z]{20}$/);
    expect(res.body.data).toEqual([]);
    expect(res.body.error).toBeNull();
    expect(res.headers.get("ittybit-version")).toBe("2025-01-01");
    expect(res.headers.get("x-request-id")).toBe(res.body.meta.request_id);
  });

  it("renders bare objects for Accept-Version 2025-08-20 and errors as {message}", async () => {
    const p = await createTestProject();
    const list = await call("GET", "/api/connections", { key: p.key, headers: { "Accept-Version": "2025-08-20" } });
    expect(list.body).toEqual([]);
    expect(list.headers.get("ittybit-version")).toBe("2025-08-20");
    const missing = await call("GET", "/api/connections/con_nope", { key: p.key, headers: { "Accept-Version": "2025-08-20" } });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ kind: "connection_not_found", message: expect.stringContaining("con_nope") });
    expect(missing.body.meta).toBeUndefined();
  });

  it("honours Ittybit-Version and the ACCEPT_VERSION header the SDKs send", async () => {
    const p = await createTestProject("2025-08-20");
    const enveloped = await call("GET", "/api/connections", { key: p.key, headers: { "Ittybit-Version": "2024-08-21" } });
    expect(enveloped.body.meta.version).toBe("2024-08-21");
    const latest = await call("GET", "/api/connections", { key: p.key, headers: { accept_version: "latest" } });
    expect(latest.body).toEqual([]);
    expect(latest.headers.get("ittybit-version")).toBe("latest");
  });

  it("detects official SDKs: 0.8.x gets envelopes, 1.x gets bare objects", async () => {
    const p = await createTestProject("latest");
    const old = await call("GET", "/api/connections", { key: p.key, headers: { "X-Fern-SDK-Name": "@ittybit/sdk", "X-Fern-SDK-Version": "0.8.7" } });
    expect(old.body.meta.type).toBe("list");
    const php = await call("GET", "/api/connections", { key: p.key, headers: { "User-Agent": "ittybit/sdk/1.0.0" } });
    expect(php.body).toEqual([]);
    expect(php.headers.get("ittybit-version")).toBe("2025-08-20");
  });

  it("uses the project's pinned version when the request names none", async () => {
    const p = await createTestProject("latest");
    const res = await call("GET", "/api/connections/con_x", { key: p.key });
    expect(res.body).toEqual({ kind: "connection_not_found", message: expect.any(String) });
  });

  it("rejects an unknown version with a 400 that lists the known ones", async () => {
    const p = await createTestProject();
    const res = await call("GET", "/api/connections", { key: p.key, headers: { "Accept-Version": "v2" } });
    expect(res.status).toBe(400);
    expect(data(res)).toBeNull();
    expect(res.body.error).toMatchObject({ kind: "version_invalid", message: expect.stringContaining("2025-08-20") });
  });

  it("answers malformed JSON with a 400 and wrong types with a message naming the field", async () => {
    const p = await createTestProject("latest");
    const bad = await call("POST", "/api/connections", { key: p.key, rawBody: "{not json", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ kind: "request_invalid", message: expect.stringContaining("not valid JSON") });
    const wrong = await call("POST", "/api/connections", {
      key: p.key,
      body: { endpoint: "http://127.0.0.1:1", access_key_id: 5, secret_access_key: "s" },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain("access_key_id");
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: "access_key_id" })]);
    const array = await call("POST", "/api/connections", { key: p.key, rawBody: "[1,2]" });
    expect(array.body.message).toContain("JSON object");
  });

  it("refuses bodies over the JSON size limit with a 413", async () => {
    const p = await createTestProject("latest");
    const res = await call("POST", "/api/connections", { key: p.key, rawBody: JSON.stringify({ name: "x".repeat(1_100_000) }) });
    expect(res.status).toBe(413);
    expect(res.body.kind).toBe("payload_too_large");
  });

  it("answers unknown routes with a 404 in the caller's error shape", async () => {
    const p = await createTestProject();
    const res = await call("GET", "/api/nothing/here", { key: p.key });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ kind: "not_found", message: expect.stringContaining("/api/nothing/here") });
    const bare = await call("DELETE", "/api/nothing", { headers: { "Accept-Version": "latest" } });
    expect(bare.body).toMatchObject({ kind: "not_found" });
  });

  it("answers every method a route lacks with a 405 in the caller's error shape and an Allow header", async () => {
    const p = await createTestProject();
    const routes = (await listApiRoutes()).filter((route) => route.path !== "/api/inngest");
    expect(routes.length).toBeGreaterThan(20);
    let checked = 0;
    for (const route of routes) {
      const url = route.path.replace("[id]", "task_unknown0000");
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => !route.methods.includes(m))) {
        const res = await call(method, url, { key: p.key, body: method === "GET" || method === "DELETE" ? undefined : {} });
        expect(res.status, `${method} ${route.path}`).toBe(405);
        expect(res.body.error, `${method} ${route.path}`).toMatchObject({ kind: "method_not_allowed", message: expect.stringContaining(method) });
        const allow = res.headers.get("allow")?.split(", ") ?? [];
        expect(allow, `${method} ${route.path}`).toEqual(expect.arrayContaining([...route.methods, "OPTIONS"]));
        expect(allow).not.toContain(method);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    // The bare profile gets the bare error shape.
    const bare = await call("PUT", "/api/tasks", { key: p.key, headers: { "Accept-Version": "latest" }, body: {} });
    expect(bare.status).toBe(405);
    expect(bare.body).toMatchObject({ kind: "method_not_allowed" });
  });

  it("gives every success a JSON body, deletes included", async () => {
    const p = await createTestProject("2025-08-20");
    const created = await call("POST", "/api/connections", {
      key: p.key,
      body: { endpoint: "http://127.0.0.1:9", access_key_id: "a", secret_access_key: "secret-1234" },
    });
    const deleted = await call("DELETE", `/api/connections/${created.body.id}`, { key: p.key });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ message: `${created.body.id} deleted` });
  });
});
