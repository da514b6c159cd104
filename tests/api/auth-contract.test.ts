// Every public route, one contract: no key, a malformed header, an unknown key and a revoked key
// are 401s that say which; another project's object — a real one, of every kind — is a 404 that changes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { call, createTestProject, listApiRoutes, type TestProject } from "@/tests/helpers/api";

// Routes outside the API-key contract: health (public), the 404 catch-all, Inngest (signed by its
// signing key), the dashboard sign-in.
const PUBLIC = new Set(["/api/health", "/api/[...path]", "/api/inngest", "/api/auth/[...nextauth]"]);

type Fixture = { owner: TestProject; ids: Record<string, string> };

// Never fetched: no worker runs in this file, so the tasks, runs and jobs below stay queued (and cancellable).
const SOURCE = "http://127.0.0.1:9/clip.mp4";

/**
 * Real objects of every kind in another organisation's project, made through the API where the API makes them
 * (a ready file is written as its row, since ingesting needs the worker), so `[id]` routes can be probed across projects.
 */
async function makeForeignObjects(): Promise<Fixture> {
  const owner = await createTestProject("latest");
  const as = async (path: string, body: unknown, key = owner.key): Promise<string> => {
    const res = await call("POST", path, { key, body });
    expect(res.status, path).toBe(201);
    return res.body.id as string;
  };
  const connection = await as("/api/connections", { endpoint: "http://127.0.0.1:9", access_key_id: "a", secret_access_key: "secret-0001" });
  const key = await as("/api/keys", { name: "victim" });
  const project = await as("/api/projects", { name: "Other" }, owner.adminKey);
  const media = await as("/api/media", { title: "Theirs", metadata: { owner: "them" } });
  const prisma = await db();
  const file = await prisma.file.create({
    data: {
      id: newId("file"),
      projectId: owner.projectId,
      mediaId: media,
      kind: "image",
      type: "image/png",
      filename: "theirs.png",
      path: "private/theirs.png",
      folder: "private",
      storageKey: `${owner.projectId}/theirs.png`,
      filesize: 10n,
      status: "ready",
      original: true,
    },
  });
  const task = await as("/api/tasks", { kind: "ingest", url: SOURCE });
  const run = await as("/api/runs", { tasks: [{ kind: "ingest", url: SOURCE }] });
  const job = await as("/api/jobs", { kind: "video", input: SOURCE, options: { width: 320 } });
  const upload = await as("/api/uploads", { filename: "theirs.mp4" });
  const domain = await as("/api/domains", { hostname: `theirs-${owner.projectId.toLowerCase().replace("_", "-")}.example.com` });
  return {
    owner,
    ids: {
      "/api/connections": connection,
      "/api/keys": key,
      "/api/projects": project,
      "/api/media": media,
      "/api/files": file.id,
      "/api/sources": file.id,
      "/api/tasks": task,
      "/api/runs": run,
      "/api/jobs": job,
      "/api/domains": domain,
      "/api/uploads": upload,
      "/api/analytics/media": media,
      "/api/analytics/projects": project,
    },
  };
}

/** Every row the owner's organisation has, as JSON: any change by a probe (even `updated_at`) shows. */
async function snapshot(owner: TestProject): Promise<string> {
  const prisma = await db();
  const projectIds = (await prisma.project.findMany({ where: { orgId: owner.orgId }, select: { id: true } })).map((p) => p.id);
  const where = { projectId: { in: projectIds } };
  const order = { orderBy: { id: "asc" as const } };
  const rows = {
    projects: await prisma.project.findMany({ where: { orgId: owner.orgId }, ...order }),
    keys: await prisma.apiKey.findMany({ where, ...order }),
    connections: await prisma.connection.findMany({ where, ...order }),
    media: await prisma.media.findMany({ where, ...order }),
    files: await prisma.file.findMany({ where, ...order }),
    tasks: await prisma.task.findMany({ where, ...order }),
    runs: await prisma.run.findMany({ where, ...order }),
    jobs: await prisma.job.findMany({ where, ...order }),
    uploads: await prisma.upload.findMany({ where, ...order }),
    domains: await prisma.domain.findMany({ where, ...order }),
  };
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** A body that would change the object if the route let it through. */
const CHANGES: Record<string, unknown> = {
  "/api/connections": { name: "stolen" },
  "/api/keys": { name: "stolen", status: "paused" },
  "/api/projects": { name: "stolen" },
  "/api/media": { title: "stolen" },
  "/api/files": { filename: "stolen.png" },
  "/api/sources": { filename: "stolen.png" },
};

function concretePath(template: string, ids: Record<string, string>): string {
  const collection = template.split("/[id]")[0] ?? template;
  return template.replace("[id]", ids[collection] ?? "unknown_0000");
}

describe("auth contract on every route", async () => {
  const routes = (await listApiRoutes()).filter((r) => !PUBLIC.has(r.path));
  let fixture: Fixture;
  let caller: TestProject;
  let revokedKey: string;
  let before: string;

  beforeAll(async () => {
    fixture = await makeForeignObjects();
    before = await snapshot(fixture.owner);
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

  it("has a real foreign object for every [id] route", () => {
    for (const route of routes.filter((r) => r.path.includes("[id]"))) {
      const collection = route.path.split("/[id]")[0]!;
      expect(fixture.ids[collection], route.path).toBeTruthy();
    }
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
            const collection = route.path.split("/[id]")[0]!;
            const body = method === "PATCH" ? (CHANGES[collection] ?? {}) : method === "POST" ? {} : undefined;
            const res = await call(method, target(), { ...opts, key: caller.adminKey, body });
            expect(res.status).toBe(404);
            expect(res.body.kind).toMatch(/not_found$/);
          });
        }
      });
    }
  }

  it("left the other organisation's rows exactly as they were", async () => {
    const after = await snapshot(fixture.owner);
    expect(JSON.parse(after)).toEqual(JSON.parse(before));
    // The snapshot holds every kind probed, so an empty one proves nothing.
    const rows = JSON.parse(after) as Record<string, unknown[]>;
    for (const [table, list] of Object.entries(rows)) expect(list.length, table).toBeGreaterThan(0);
  });
});
