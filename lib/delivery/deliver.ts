// Delivery: GET/HEAD /f/<project alias>/<folder>/<filename> streams a stored file (Range, ETag,
// caching); packages (HLS) serve their playlists and segments from under their folder. Signed URLs
// (POST /api/signatures) are checked here, and extend from a playlist to its segments.
import { countDelivery } from "@/lib/analytics/count-delivery";
import { db } from "@/lib/db/client";
import type { File } from "@/lib/db/generated/client";
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/db/unavailable";
import { packageEntryKey } from "@/lib/storage/object-key";
import { serveObject } from "@/lib/storage/serve";
import { projectSigningSecret, signPath, verifySignature } from "@/lib/storage/signing";
import { getStore } from "@/lib/storage/store";

type Target = { file: File; key: string; packageDir: string | null; entry: boolean };

const PLAYLIST = /\.m3u8$/i;
// A thumbnails track's cues point into its sprite (`sprite.jpg#xywh=…`), relative like playlist URIs.
const VTT = /\.vtt$/i;
const VTT_IMAGE_REF = /^([^\s:?#]+\.(?:jpe?g|png|webp|avif))(#\S*)?$/i;

const PROBLEM_KINDS: Record<number, string> = { 403: "forbidden", 404: "not_found", 503: "service_unavailable" };

function problem(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ kind: PROBLEM_KINDS[status] ?? "error", message }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

async function findTarget(projectId: string, path: string): Promise<Target | null> {
  const prisma = await db();
  const file = await prisma.file.findFirst({ where: { projectId, path, status: "ready" } });
  if (file?.storageKey) return { file, key: file.storageKey, packageDir: file.packageDir, entry: false };
  // A segment or variant playlist: the nearest folder that is a package claims it.
  const segments = path.split("/");
  for (let depth = segments.length - 1; depth >= 1; depth--) {
    const dir = segments.slice(0, depth).join("/");
    const owner = await prisma.file.findFirst({ where: { projectId, packageDir: dir, status: "ready" } });
    if (owner) {
      return { file: owner, key: packageEntryKey({ projectId, fileId: owner.id, path: segments.slice(depth).join("/") }), packageDir: dir, entry: true };
    }
  }
  return null;
}

/** `signedDir`: the signature was for a package folder (`<dir>/`), which must turn out to own the path. */
type Access = { ok: true; expiry?: number; signedDir?: string } | { ok: false; status: number; message: string };

/**
 * A signature for the exact path, or for one of its folders (`<dir>/`, a package's). Checked from the URL alone,
 * before any lookup, so a project that serves only signed URLs answers every unsigned or badly signed request
 * with the same 403 whether the path exists or not.
 */
function checkAccess(request: Request, url: URL, projectId: string, path: string, required: boolean): Access {
  const signature = url.searchParams.get("signature");
  const expiry = url.searchParams.get("expiry");
  if (!signature || !expiry) {
    return required ? { ok: false, status: 403, message: "This file needs a signed URL: create one with POST /api/signatures." } : { ok: true };
  }
  const secret = projectSigningSecret(projectId);
  const common = { expiry, method: url.searchParams.get("method"), requestMethod: request.method, signature, secret };
  const result = verifySignature({ path, ...common });
  if (result.ok) return { ok: true, expiry: Number(expiry) };
  const segments = path.split("/");
  for (let depth = segments.length - 1; depth >= 1; depth--) {
    const dir = segments.slice(0, depth).join("/");
    if (verifySignature({ path: `${dir}/`, ...common }).ok) return { ok: true, expiry: Number(expiry), signedDir: dir };
  }
  const message = result.reason === "expired" ? "This signed URL has expired." : result.reason === "method_mismatch" ? "This signed URL was made for another method." : "The signature does not match this URL.";
  return { ok: false, status: 403, message };
}

const BAD_SIGNATURE = "The signature does not match this URL.";

/** Relative URIs in a signed playlist (or a thumbnails VTT) carry a package-wide signature, so players can fetch segments and sprites. */
async function signedPlaylist(text: string, projectId: string, packageDir: string, expiry: number, vtt = false): Promise<string> {
  const signature = signPath({ path: `${packageDir}/`, expiry, method: "get", secret: projectSigningSecret(projectId) });
  const query = `expiry=${expiry}&method=get&signature=${signature}`;
  if (vtt) {
    return text
      .split("\n")
      .map((line) => {
        const ref = VTT_IMAGE_REF.exec(line.trim());
        return ref ? `${ref[1]}?${query}${ref[2] ?? ""}` : line;
      })
      .join("\n");
  }
  return text
    .split("\n")
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed.startsWith("#")) return line.replace(/URI="([^"]+)"/g, (_m, uri: string) => `URI="${uri.includes("?") ? uri : `${uri}?${query}`}"`);
      if (!trimmed || /^[a-z]+:/i.test(trimmed) || trimmed.includes("?")) return line;
      return `${trimmed}?${query}`;
    })
    .join("\n");
}

/** The file, or a problem; a database that cannot be reached is a 503 with Retry-After (players and CDNs retry), never a 500. */
export async function deliver(request: Request, alias: string, segments: string[]): Promise<Response> {
  try {
    return await deliverOrThrow(request, alias, segments);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    console.error(`[delivery] database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return problem(503, "File delivery is briefly unavailable (its database cannot be reached). Retry in a few seconds.", {
      "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS),
    });
  }
}

async function deliverOrThrow(request: Request, alias: string, segments: string[]): Promise<Response> {
  const url = new URL(request.url);
  const path = segments.join("/");
  // No alias or stored path contains NUL (PostgreSQL refuses it in text): such a path names nothing.
  if (alias.includes("\u0000") || path.includes("\u0000")) return problem(404, "No such file.");
  const prisma = await db();
  const project = await prisma.project.findUnique({ where: { alias }, select: { id: true, deliveryAccess: true } });
  if (!project || !path) return problem(404, "No such file.");
  const access = checkAccess(request, url, project.id, path, project.deliveryAccess === "signed");
  if (!access.ok) return problem(access.status, access.message);
  const target = await findTarget(project.id, path);
  if (!target) return problem(404, `No file at '${path}'.`);
  // A folder's signature opens only the package that folder is.
  if (access.signedDir !== undefined && target.packageDir !== access.signedDir) return problem(403, BAD_SIGNATURE);

  const response = await serveTarget(request, { projectId: project.id, path, target, access });
  return countDelivery(response, { projectId: project.id, mediaId: target.file.mediaId });
}

async function serveTarget(request: Request, { projectId, path, target, access }: { projectId: string; path: string; target: Target; access: Access & { ok: true } }): Promise<Response> {
  const store = getStore();
  const info = await store.head(target.key);
  if (!info) return problem(404, `The bytes of '${path}' are missing from storage.`);
  const contentType = target.entry ? info.contentType : (target.file.type?.split(";")[0] ?? info.contentType);
  const signed = access.expiry !== undefined;
  const cacheControl = signed ? `private, max-age=${Math.max(0, access.expiry! - Math.floor(Date.now() / 1000))}` : "public, max-age=3600, must-revalidate";

  if (signed && target.packageDir && (PLAYLIST.test(path) || VTT.test(path)) && (request.method === "GET" || request.method === "HEAD")) {
    const object = await store.get(target.key);
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    const body = await signedPlaylist(Buffer.concat(chunks).toString("utf8"), projectId, target.packageDir, access.expiry!, VTT.test(path));
    // HEAD describes the rewritten body GET sends, not the stored one.
    const headers = { "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(body)), "Cache-Control": cacheControl, "X-Content-Type-Options": "nosniff" };
    return new Response(request.method === "HEAD" ? null : body, { headers });
  }
  return serveObject(request, { store, key: target.key, contentType, etag: info.etag, lastModified: info.lastModified, size: info.size, cacheControl });
}
