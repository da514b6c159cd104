// Host routing: a request whose Host is a project's active custom domain gets that project's files at
// /<folder>/<filename> (the same delivery as /f/<alias>/…), and never the app's own paths.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as catchAllGet, HEAD as catchAllHead } from "@/app/[...path]/route";
import { db } from "@/lib/db/client";
import { useCnameResolver } from "@/lib/domains/resolver";
import { resetEnvForTests } from "@/lib/env";
import { newId } from "@/lib/ids";
import { projectSigningSecret, signPath } from "@/lib/storage/signing";
import { getStore } from "@/lib/storage/store";
import { call, createTestProject, data, dispatch, type TestProject } from "@/tests/helpers/api";

const TARGET = "cdn.mediabit.test";
const BODY = "0123456789".repeat(100);
const stamp = Date.now().toString(36);
const HOST = `media-${stamp}.example.com`;
const SIGNED_HOST = `private-${stamp}.example.com`;

let p: TestProject;
let signedProject: TestProject;
let server: http.Server;
let origin: string;

async function storeFile(project: TestProject, path: string, body = BODY): Promise<void> {
  const prisma = await db();
  const id = newId("file");
  const key = `projects/${project.projectId}/files/${id}/${path.split("/").at(-1)}`;
  await getStore().put(key, Readable.from([Buffer.from(body)]), { contentType: "text/plain" });
  const [folder, filename] = [path.split("/").slice(0, -1).join("/"), path.split("/").at(-1)!];
  const media = data(await call("POST", "/api/media", { key: project.key, body: { title: path } }));
  await prisma.file.create({
    data: { id, projectId: project.projectId, mediaId: media.id, kind: "document", type: "text/plain", filename, path, folder, storageKey: key, filesize: BigInt(body.length), status: "ready", original: true },
  });
}

async function activeDomain(project: TestProject, hostname: string): Promise<string> {
  const created = data(await call("POST", "/api/domains", { key: project.key, body: { hostname } }));
  const restore = useCnameResolver(async () => [TARGET]);
  try {
    expect(data(await call("POST", `/api/domains/${created.id}/verify`, { key: project.key })).status).toBe("active");
  } finally {
    restore();
  }
  return created.id;
}

/** What Next.js does: a matching page or route first, the root catch-all only for paths nothing else claims. */
function route(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (/^\/(api|f|u)\//.test(pathname)) return dispatch(request);
  const path = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const handler = request.method === "HEAD" ? catchAllHead : catchAllGet;
  return handler(request, { params: Promise.resolve({ path }) });
}

/** A real request on loopback with the given Host header. */
function fetchWithHost(host: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}${path}`, { headers: { ...headers, host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  process.env.MEDIABIT_DOMAIN_TARGET = TARGET;
  resetEnvForTests();
  p = await createTestProject("latest");
  signedProject = await createTestProject("latest");
  const prisma = await db();
  await prisma.project.update({ where: { id: signedProject.projectId }, data: { deliveryAccess: "signed" } });
  await storeFile(p, "videos/clip.txt");
  await storeFile(p, "dashboard/keys", "not for the domain");
  await storeFile(p, "api/health", "not for the domain");
  await storeFile(signedProject, "docs/secret.txt", "signed only");
  await activeDomain(p, HOST);
  await activeDomain(signedProject, SIGNED_HOST);

  server = http.createServer(async (req, res) => {
    const request = new Request(new URL(req.url ?? "/", `http://${req.headers.host}`), { method: req.method, headers: req.headers as Record<string, string> });
    const response = await route(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body && req.method !== "HEAD") Readable.fromWeb(response.body as import("node:stream/web").ReadableStream).pipe(res);
    else res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  const prisma = await db();
  await prisma.domain.deleteMany({ where: { hostname: { contains: stamp } } });
  if (server) await new Promise((resolve) => server.close(resolve));
});

describe("a request on an active custom domain", () => {
  it("serves the project's file at /<folder>/<filename>, with the port and case of the Host ignored", async () => {
    const res = await fetchWithHost(`${HOST.toUpperCase()}:8080`, "/videos/clip.txt");
    expect(res.status).toBe(200);
    expect(res.body).toBe(BODY);
    expect(res.headers["content-type"]).toBe("text/plain");
    expect(res.headers["accept-ranges"]).toBe("bytes");
  });

  it("answers byte ranges and validators as /f/ does", async () => {
    const range = await fetchWithHost(HOST, "/videos/clip.txt", { range: "bytes=10-19" });
    expect(range.status).toBe(206);
    expect(range.body).toBe(BODY.slice(10, 20));
    expect(range.headers["content-range"]).toBe(`bytes 10-19/${BODY.length}`);
    const etag = range.headers.etag!;
    expect(etag).toBeTruthy();
    expect((await fetchWithHost(HOST, "/videos/clip.txt", { "if-none-match": etag })).status).toBe(304);
  });

  it("answers 404 for a path the project has no file at", async () => {
    const res = await fetchWithHost(HOST, "/videos/missing.txt");
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(BODY.slice(0, 20));
  });

  it("never serves files in the app's own paths: /api and /dashboard stay the app's", async () => {
    const api = await fetchWithHost(HOST, "/api/health");
    expect(api.status).toBe(200);
    expect(api.body).not.toContain("not for the domain");
    const unknownApi = await fetchWithHost(HOST, "/api/nothing-here");
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.body).toContain("No API route");
    const dashboard = await fetchWithHost(HOST, "/dashboard/keys", { accept: "text/html" });
    expect(dashboard.status).toBe(404);
    expect(dashboard.body).not.toContain("not for the domain");
    // /f/<alias>/… still answers on the domain too, as on any host.
    const alias = p.projectId.toLowerCase().replace("_", "-");
    const viaF = await fetchWithHost(HOST, `/f/${alias}/videos/clip.txt`);
    expect(viaF.status).toBe(200);
    expect(viaF.body).toBe(BODY);
  });

  it("keeps a signed-only project's files behind signatures", async () => {
    expect((await fetchWithHost(SIGNED_HOST, "/docs/secret.txt")).status).toBe(403);
    const expiry = Math.floor(Date.now() / 1000) + 600;
    const signature = signPath({ path: "docs/secret.txt", expiry, method: "get", secret: projectSigningSecret(signedProject.projectId) });
    const signed = await fetchWithHost(SIGNED_HOST, `/docs/secret.txt?expiry=${expiry}&method=get&signature=${signature}`);
    expect(signed.status).toBe(200);
    expect(signed.body).toBe("signed only");
  });
});

describe("a request on any other host", () => {
  it("is a 404 page with a way back to the dashboard, never a file", async () => {
    const res = await fetchWithHost("unknown.example.com", "/videos/clip.txt", { accept: "text/html" });
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toContain('href="/dashboard"');
    const json = await fetchWithHost("127.0.0.1", "/videos/clip.txt");
    expect(json.status).toBe(404);
    expect(JSON.parse(json.body)).toMatchObject({ kind: "not_found" });
  });

  it("stops serving a domain as soon as it is deleted or fails verification", async () => {
    const hostname = `gone-${stamp}.example.com`;
    const id = await activeDomain(p, hostname);
    expect((await fetchWithHost(hostname, "/videos/clip.txt")).status).toBe(200);
    expect((await call("DELETE", `/api/domains/${id}`, { key: p.key })).status).toBe(200);
    expect((await fetchWithHost(hostname, "/videos/clip.txt")).status).toBe(404);

    const failing = `failing-${stamp}.example.com`;
    const failingId = await activeDomain(p, failing);
    expect((await fetchWithHost(failing, "/videos/clip.txt")).status).toBe(200);
    const restore = useCnameResolver(async () => ["elsewhere.example.net"]);
    try {
      expect(data(await call("POST", `/api/domains/${failingId}/verify`, { key: p.key })).status).toBe("failed");
    } finally {
      restore();
    }
    expect((await fetchWithHost(failing, "/videos/clip.txt")).status).toBe(404);
  });
});
