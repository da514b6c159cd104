// Every public route, one contract: no key, a malformed header, an unknown key and a revoked key
// are 401s that say which; another project's object is a 404.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { call, createTestProject, listApiRoutes, type TestProject } from "@/tests/helpers/api";

// Routes outside the API-key contract: health (public), the 404 catch-all, Inngest (signed by its
// signing key), the dashboard sign-in.
const PUBLIC = new Set(["/api/health", "/api/[...path]", "/api/inngest", "/api/auth/[...nextauth]"]);

type Fixture = { owner: TestProject; ids: Record<string, string> };

/** One object of each kind in another project, so `[id]` routes can be probed across projects. */
async function makeForeignObjects(): Promise<Fixture> {
  const owner = await createTestProject("latest");
  const connection = await call("POST", "/api/connections", {
    key: owner.key,
    body: { endpoint: "http://127.0.0.1:9", access_key_id: "a", secret_access_key: "secret-0001" },
  });
  const key = await call("POST", "/api/keys", { key: owner.key, body: { name: "victim" } });
  const project = await call("POST", "/api/projects", { key: owner.adminKey, body: { name: "Other" } });
  return {
    owner,
    ids: { "/api/connections": connection.body.id, "/api/keys": key.body.id, "/api/projects": project.body.id },
  };
}

function concretePath(template: string, ids: Record<string, string>): string {
  const collection = template.split("/[id]")[0] ?? template;
  return template.replace("[id]", ids[collection] ?? "unknown_0000");
}

describe("auth contract on every route", async () => {
  const routes = (await listApiRoutes()).filter((r) => !PUBLIC.has(r.path));
  let fixture: Fixture;
  let caller: TestProject;
  let revokedKey: string;

  beforeAll(async () => {
    fixture = await makeForeignObjects();
    caller = await createTestProject("latest");
    const extra = await call("POST", "/api/keys", { key: caller.key, body: { name: "to revoke" } });
    revokedKey = extra.body.secret;
    const revoked = await call("DELETE", `/api/keys/${extra.body.id}`, { key: caller.key });
    expect(revoked.status).toBe(200);
  });

  it("covers at least the foundation routes", () => {
    const paths = routes.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(["/api/connections", "/api/connections/[id]", "/api/keys", "/api/keys/[id]", "/api/projects", "/api/projects/[id]"]));
  });

  for (const route of routes) {
    for (const method of route.methods) {
      describe(`${method} ${route.path}`, () => {
        const target = () => concretePath(route.path, fixture.ids);
        const opts = { headers: { "Accept-Version": "latest" } };

        it("answers 401 token_missing without a key", async () => {
          const res = await call(method, target(), { ...opts, body: method === "GET" || method === "DELETE" ? undefined : {} });
          expect(res.status).toBe(401);
          expect(res.body).toMatchObject({ kind: "token_missing", message: expect.stringContaining("Bearer") });
        });

        it("answers 401 for a malformed header", async () => {
          const res = await call(method, target(), { headers: { ...opts.headers, authorization: "Token abc" } });
          expect(res.status).toBe(401);
          expect(res.body).toMatchObject({ kind: "token_invalid", message: expect.stringContaining("Malformed") });
        });

        it("answers 401 for an unknown key", async () => {
          const res = await call(method, target(), { ...opts, key: "ittybit_live_doesnotexist00000000000000000" });
          expect(res.status).toBe(401);
          expect(res.body).toMatchObject({ kind: "token_invalid", message: expect.stringContaining("not recognised") });
        });

        it("answers 401 for a revoked key", async () => {
          const res = await call(method, target(), { ...opts, key: revokedKey });
          expect(res.status).toBe(401);
          expect(res.body).toMatchObject({ kind: "token_invalid", message: expect.stringContaining("revoked") });
        });

        if (route.path.includes("[id]")) {
          it("answers 404 for another project's object", async () => {
            const res = await call(method, target(), { ...opts, key: caller.adminKey, body: method === "PATCH" || method === "POST" ? {} : undefined });
            expect(res.status).toBe(404);
            expect(res.body.kind).toMatch(/not_found$/);
          });
        }
      });
    }
  }

  it("left the other project's objects untouched", async () => {
    const prisma = await db();
    expect(await prisma.connection.count({ where: { projectId: fixture.owner.projectId } })).toBe(1);
    expect(await prisma.project.count({ where: { id: fixture.ids["/api/projects"] } })).toBe(1);
  });
});
