// POST/GET /api/uploads: upload URLs with their options, in the caller's profile; the token is never stored.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { hashUploadToken } from "@/lib/uploads/token";
import { call, createTestProject, data } from "@/tests/helpers/api";

describe("POST /api/uploads", () => {
  it("answers an upload object with a capability URL whose token is stored only as its hash", async () => {
    const project = await createTestProject("latest");
    const before = Date.now();
    const res = await call("POST", "/api/uploads", {
      key: project.key,
      body: { timeout: 60, filename: "My Clip.mp4", folder: "users//u1/../in", metadata: { user: "u1" }, expires: 3600, workflow_id: "wf_1" },
    });
    expect(res.status).toBe(201);
    const upload = res.body;
    expect(upload).toMatchObject({
      object: "upload",
      status: "waiting",
      bytes_received: 0,
      filename: "My-Clip.mp4",
      metadata: { user: "u1" },
      expires: 3600,
      workflow_id: "wf_1",
      file_id: null,
      media_id: null,
      error: null,
    });
    expect(upload.id).toMatch(/^upl_/);
    expect(upload.folder).not.toContain("..");
    const expiresAt = Date.parse(upload.url_expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 59_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 61_000);
    const url = new URL(upload.url);
    expect(url.origin).toBe("http://localhost:3000");
    const token = url.pathname.replace(/^\/u\//, "");
    expect(token).toMatch(/^[A-Za-z0-9]{32,}$/);
    const prisma = await db();
    const row = await prisma.upload.findUniqueOrThrow({ where: { id: upload.id } });
    expect(row).toMatchObject({ tokenHash: hashUploadToken(token), kind: "url", profile: "latest", mediaExpiresIn: 3600, apiKeyId: project.keyId });
    expect(JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(token);
  });

  it("defaults the timeout to 300 s and points the URL at the origin the caller reached", async () => {
    const project = await createTestProject("latest");
    const res = await call("POST", "http://media.example:8080/api/uploads", { key: project.key, body: {}, headers: { host: "media.example:8080" } });
    expect(res.status).toBe(201);
    expect(res.body.url).toMatch(/^http:\/\/media\.example:8080\/u\/[A-Za-z0-9]{32,}$/);
    const lifetime = Date.parse(res.body.url_expires_at) - Date.parse(res.body.created);
    expect(lifetime).toBeGreaterThan(299_000);
    expect(lifetime).toBeLessThan(301_000);
  });

  it("answers field-named 400s for out-of-range values and changes nothing", async () => {
    const project = await createTestProject("latest");
    const cases: [Record<string, unknown>, string][] = [
      [{ timeout: 5 }, "timeout"],
      [{ timeout: 3601 }, "timeout"],
      [{ timeout: 12.5 }, "timeout"],
      [{ expires: 59 }, "expires"],
      [{ expires: 31_536_001 }, "expires"],
      [{ metadata: { "bad key!": 1 } }, "metadata.bad key!"],
      [{ metadata: "x" }, "metadata"],
      [{ filename: "" }, "filename"],
      [{ nonsense: true }, "nonsense"],
    ];
    for (const [body, field] of cases) {
      const res = await call("POST", "/api/uploads", { key: project.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.kind).toBe("request_invalid");
      expect(res.body.errors.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
    const prisma = await db();
    expect(await prisma.upload.count({ where: { projectId: project.projectId } })).toBe(0);
  });

  it("answers in the envelope for a generation-A project", async () => {
    const project = await createTestProject("2024-08-21");
    const res = await call("POST", "/api/uploads", { key: project.key, body: { filename: "a.jpg" } });
    expect(res.status).toBe(201);
    expect(res.body.meta).toMatchObject({ type: "object" });
    expect(res.body.error).toBeNull();
    expect(res.body.data).toMatchObject({ object: "upload", filename: "a.jpg", url: expect.stringMatching(/\/u\//) });
    expect(res.body.links.self).toMatch(new RegExp(`/api/uploads/${res.body.data.id}$`));
  });
});

describe("GET /api/uploads", () => {
  it("shows one upload's status without its URL, and lists the project's uploads by page", async () => {
    const project = await createTestProject("2025-01-01");
    const other = await createTestProject("2025-01-01");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(data(await call("POST", "/api/uploads", { key: project.key, body: { filename: `f${i}.mp4` } })).id);
    await call("POST", "/api/uploads", { key: other.key, body: {} });

    const one = await call("GET", `/api/uploads/${ids[0]}`, { key: project.key });
    expect(one.status).toBe(200);
    expect(data(one)).toMatchObject({ id: ids[0], status: "waiting", bytes_received: 0, url: null, filename: "f0.mp4" });

    const page = await call("GET", "/api/uploads?limit=2&page=2", { key: project.key });
    expect(page.status).toBe(200);
    expect(page.body.meta).toMatchObject({ total: 3, page: 2, pages: 2, has_more: false });
    expect(data(page).map((u: { id: string }) => u.id)).toEqual([ids[0]]);

    expect((await call("GET", `/api/uploads/${ids[0]}`, { key: other.key })).status).toBe(404);
  });

  it("shows a waiting upload past its timeout as expired", async () => {
    const project = await createTestProject("latest");
    const created = (await call("POST", "/api/uploads", { key: project.key, body: {} })).body;
    const prisma = await db();
    await prisma.upload.update({ where: { id: created.id }, data: { urlExpiresAt: new Date(Date.now() - 1000) } });
    const res = await call("GET", `/api/uploads/${created.id}`, { key: project.key });
    expect(res.body.status).toBe("expired");
    const listed = await call("GET", "/api/uploads", { key: project.key });
    expect(listed.body.map((u: { id: string }) => u.id)).toEqual([created.id]);
  });
});
