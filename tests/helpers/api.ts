// Calls the real route handlers under app/api the way Next.js would, without a server: the path
// is matched against the app/api folder tree, params are passed the way the App Router passes them.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { createKey } from "@/lib/keys/keys";

type Handler = (request: Request, route: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Route = { pattern: RegExp; names: string[]; catchAll: string | null; file: string; specificity: number };

const APP_DIR = path.resolve(import.meta.dirname, "../../app");
const API_DIR = path.join(APP_DIR, "api");

function collectRoutes(dir: string, segments: string[] = [], base = "/api"): Route[] {
  const out: Route[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...collectRoutes(full, [...segments, entry], base));
    else if (entry === "route.ts") {
      const names: string[] = [];
      let catchAll: string | null = null;
      const regex = segments
        .map((segment) => {
          const all = /^\[\.\.\.(\w+)\]$/.exec(segment);
          if (all) {
            catchAll = all[1] ?? null;
            return "/(.+)";
          }
          const dynamic = /^\[(\w+)\]$/.exec(segment);
          if (dynamic) {
            names.push(dynamic[1] ?? "");
            return "/([^/]+)";
          }
          return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
        })
        .join("");
      const specificity = segments.filter((s) => !s.startsWith("[")).length * 10 - (catchAll ? 100 : 0);
      out.push({ pattern: new RegExp(`^${base}${regex}$`), names, catchAll, file: full, specificity });
    }
  }
  return out.sort((a, b) => b.specificity - a.specificity);
}

// next-auth's handler is the dashboard's, not the public API's; it only loads inside Next.js.
const apiRoutes = collectRoutes(API_DIR).filter((route) => !route.file.includes("[...nextauth]"));
const routes = [...apiRoutes, ...collectRoutes(path.join(APP_DIR, "f"), [], "/f"), ...collectRoutes(path.join(APP_DIR, "u"), [], "/u")];

const loaded = new Map<string, Promise<Record<string, unknown>>>();

/** A route module, imported once (as the App Router keeps it): a dynamic import per call costs milliseconds under tsx. */
function routeModule(file: string): Promise<Record<string, unknown>> {
  let mod = loaded.get(file);
  if (!mod) {
    mod = import(/* @vite-ignore */ file) as Promise<Record<string, unknown>>;
    loaded.set(file, mod);
  }
  return mod;
}

/** Every route file under app/api as `/api/a/[id]/b` with the methods it implements. */
export async function listApiRoutes(): Promise<{ path: string; methods: string[] }[]> {
  const out: { path: string; methods: string[] }[] = [];
  for (const route of apiRoutes) {
    const mod = await routeModule(route.file);
    const relative = path.relative(API_DIR, path.dirname(route.file)).split(path.sep).filter(Boolean);
    // The 405 answers from methodsNotAllowed() are not methods the route implements.
    const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter(
      (m) => typeof mod[m] === "function" && !(mod[m] as { methodNotAllowed?: boolean }).methodNotAllowed,
    );
    out.push({ path: `/api${relative.length ? `/${relative.join("/")}` : ""}`, methods });
  }
  return out;
}

export type CallOptions = { body?: unknown; rawBody?: string; key?: string | null; headers?: Record<string, string> };
export type CallResult = { status: number; body: any; headers: Headers };

/** Routes a Request to its handler under app/ (the API, /f delivery and /u upload URLs), as the App Router would. */
export async function dispatch(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const route = routes.find((r) => r.pattern.test(pathname));
  if (!route) return new Response("not found", { status: 404 });
  const match = route.pattern.exec(pathname) ?? [];
  const params: Record<string, string | string[]> = {};
  route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1] ?? "")));
  if (route.catchAll) params[route.catchAll] = (match[route.names.length + 1] ?? "").split("/").map(decodeURIComponent);
  const mod = (await routeModule(route.file)) as Record<string, Handler | undefined>;
  const handler = mod[request.method];
  if (!handler) return new Response(null, { status: 405 });
  return handler(request, { params: Promise.resolve(params) });
}

export async function call(method: string, url: string, options: CallOptions = {}): Promise<CallResult> {
  const full = new URL(url, "http://localhost:3000");
  const headers = new Headers(options.headers);
  if (options.key !== null && options.key !== undefined) headers.set("authorization", `Bearer ${options.key}`);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  const response = await dispatch(new Request(full, { method, headers, body }));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

export type TestProject = { orgId: string; projectId: string; key: string; keyId: string; adminKey: string };

/** A fresh organisation + project with a normal key and an admin key, pinned to `apiVersion`. */
export async function createTestProject(apiVersion = "2025-01-01"): Promise<TestProject> {
  const prisma = await db();
  const orgId = newId("org");
  const projectId = newId("prj");
  await prisma.organization.create({ data: { id: orgId, name: "Test org" } });
  await prisma.project.create({ data: { id: projectId, orgId, name: "Test", alias: projectId.toLowerCase().replace("_", "-"), apiVersion } });
  const scope = { orgId, projectId };
  const normal = await createKey(scope, { name: "test" });
  const admin = await createKey(scope, { name: "admin", admin: true });
  return { orgId, projectId, key: normal.secret, keyId: normal.key.id, adminKey: admin.secret };
}

/** Unwraps an enveloped body, or returns a bare one as is. */
export function data(result: CallResult): any {
  return result.body && typeof result.body === "object" && "meta" in result.body ? result.body.data : result.body;
}
