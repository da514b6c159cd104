// PUT /f/<alias>/<folder…>/<filename> (spec/uploads.md §2–3): the body's raw bytes make, or replace, the file at that
// path. Authorised by an API key of the project or by a PUT-signed URL; with Content-Range the body is one chunk of a
// resumable upload. Answers in the API's envelope for the caller's profile.
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { AppError } from "@/lib/api/errors";
import { objectResponse, renderTimes, type ApiResponse, type RequestInfo } from "@/lib/api/render";
import { resolveProfile, resolveProfileLeniently, type Profile } from "@/lib/api/version";
import { failureResponse, newRequestId, publicUrl, toResponse } from "@/lib/api/with-api";
import { db } from "@/lib/db/client";
import type { Upload } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { deliveryPath } from "@/lib/files/files";
import { renderFile } from "@/lib/files/render";
import { writeScratch } from "@/lib/files/scratch";
import { newId } from "@/lib/ids";
import { authenticateKey } from "@/lib/keys/keys";
import { sanitizeFilename, sanitizeFolder } from "@/lib/storage/object-key";
import { projectSigningSecret, verifySignature } from "@/lib/storage/signing";
import { CHUNKED_RESUMABLE_FOR_MS, pathLockName, receiveChunk, withLock, type TPutTarget } from "@/lib/uploads/chunked";
import { parseContentRange, rangeHeader, rangeLength, type TContentRange, type TRanges } from "@/lib/uploads/content-range";
import { publishUpload, type PublishedUpload } from "@/lib/uploads/publish";

type Caller = { projectId: string; apiKeyId: string | null };

const SIGNATURE_FAILURES = {
  expired: "This signed URL has expired.",
  method_mismatch: "This signed URL was made for another method: create one with POST /api/signatures and `method: \"put\"`.",
  invalid: "The signature does not match this URL.",
} as const;

// Signed URLs are made for browsers uploading straight here from another origin; no cookie is ever involved.
const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "Range, X-Request-Id, Ittybit-Version",
};

/** The CORS preflight of a PUT (answered for any path: it reveals nothing). */
export function answerPutPreflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      "Access-Control-Allow-Methods": "PUT",
      "Access-Control-Allow-Headers": "Authorization, Content-Type, Content-Range, Accept-Version, Ittybit-Version",
      "Access-Control-Max-Age": "86400",
    },
  });
}

/** Answers a PUT to a delivery path: 201 with the file, 202 with the progress of an unfinished resumable upload, or an error. */
export async function receivePut(request: Request, alias: string, segments: string[]): Promise<Response> {
  const info: RequestInfo = { requestId: newRequestId(), profile: resolveProfileLeniently(request.headers), url: publicUrl(request) };
  let response: Response;
  try {
    const caller = await authorizePut(request, info, alias, segments.join("/"));
    const target = putTarget(caller, segments, info.profile);
    const contentRange = request.headers.get("content-range");
    response = toResponse(info, contentRange === null ? await putWhole(request, info, target) : await putChunk(request, info, target, parseContentRange(contentRange)));
  } catch (error) {
    response = failureResponse(info, error);
  }
  for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
  return response;
}

/**
 * An API key of the alias's project, or (with no Authorization header) a signature for PUT on exactly this path. Once
 * the project is known, `info` answers in its profile, refusals included.
 */
async function authorizePut(request: Request, info: RequestInfo, alias: string, rawPath: string): Promise<Caller> {
  const url = new URL(request.url);
  const authorization = request.headers.get("authorization");
  const signature = url.searchParams.get("signature");
  if (authorization === null && signature !== null) return checkSignedPut(request, info, alias, rawPath, signature);
  if (authorization === null) {
    throw new AppError("token_missing", 'No credentials. Send `Authorization: Bearer <API key>` of this project, or PUT to a signed URL from POST /api/signatures with `method: "put"`.');
  }
  const auth = await authenticateKey(authorization);
  useProject(info, request, { id: auth.projectId, orgId: auth.orgId, apiVersion: auth.apiVersion });
  if (auth.projectAlias !== alias) throw new AppError("forbidden", `This API key belongs to another project: '${alias}' takes uploads only with its own keys or signed URLs.`);
  return { projectId: auth.projectId, apiKeyId: auth.keyId };
}

function useProject(info: RequestInfo, request: Request, project: { id: string; orgId: string; apiVersion: string }): void {
  info.projectId = project.id;
  info.orgId = project.orgId;
  info.profile = resolveProfile(request.headers, project.apiVersion);
}

async function checkSignedPut(request: Request, info: RequestInfo, alias: string, rawPath: string, signature: string): Promise<Caller> {
  const url = new URL(request.url);
  // PostgreSQL refuses NUL in text; no alias holds one.
  if (alias.includes("\u0000")) throw new AppError("not_found", `No project with alias '${alias.replaceAll("\u0000", "")}'.`);
  const prisma = await db();
  const project = await prisma.project.findUnique({ where: { alias }, select: { id: true, orgId: true, apiVersion: true } });
  if (!project) throw new AppError("not_found", `No project with alias '${alias}'.`);
  useProject(info, request, project);
  const result = verifySignature({
    path: rawPath,
    expiry: url.searchParams.get("expiry") ?? "",
    method: url.searchParams.get("method"),
    requestMethod: "PUT",
    signature,
    secret: projectSigningSecret(project.id),
  });
  if (!result.ok) throw new AppError("forbidden", SIGNATURE_FAILURES[result.reason]);
  return { projectId: project.id, apiKeyId: null };
}

/** Folder and filename from the URL path, made safe as every stored name is. */
function putTarget(caller: Caller, segments: string[], profile: Profile): TPutTarget {
  const rawFilename = segments.at(-1) ?? "";
  if (rawFilename.trim() === "") throw new AppError("request_invalid", "The URL names no file: PUT to /f/<project alias>/<folder…>/<filename>.");
  const folder = sanitizeFolder(segments.slice(0, -1).join("/")) || null;
  const filename = sanitizeFilename(rawFilename);
  return { projectId: caller.projectId, folder, filename, path: deliveryPath(folder, filename), apiKeyId: caller.apiKeyId, profile: profile.version };
}

function maxBytes(): number {
  return env().MEDIABIT_MAX_FILE_BYTES;
}

function tooLarge(): AppError {
  return new AppError("payload_too_large", `The file is larger than the largest this server accepts (${maxBytes()} bytes). Nothing was stored.`);
}

function declaredLength(request: Request): number | null {
  const header = request.headers.get("content-length");
  return header !== null && /^[0-9]+$/.test(header.trim()) ? Number(header) : null;
}

function bodyOf(request: Request): Readable {
  if (!request.body) throw new AppError("request_invalid", "The request has no body: send the file's bytes.");
  return Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
}

function fileResponse(info: RequestInfo, { file }: PublishedUpload, status: number): ApiResponse {
  return objectResponse(info, renderFile(info.profile, file, { origin: info.url.origin, alias: file.project.alias }), { status });
}

/** Simple and signed uploads: the whole file in one body. */
async function putWhole(request: Request, info: RequestInfo, target: TPutTarget): Promise<ApiResponse> {
  const declared = declaredLength(request);
  if (declared !== null && declared > maxBytes()) throw tooLarge();
  const scratch = await writeScratch(bodyOf(request), { name: "put", signal: request.signal, tooLarge });
  try {
    const prisma = await db();
    const now = new Date();
    const upload = await prisma.upload.create({
      data: {
        id: newId("upl"),
        projectId: target.projectId,
        kind: "put",
        profile: target.profile,
        apiKeyId: target.apiKeyId,
        createdBy: target.apiKeyId,
        status: "uploading",
        urlExpiresAt: now,
        lastByteAt: now,
        folder: target.folder,
        filename: target.filename,
        totalBytes: BigInt(scratch.size),
        bytesReceived: BigInt(scratch.size),
      },
    });
    const published = await withLock(pathLockName(target.projectId, target.path), () => publishUpload(upload.id, { path: scratch.path, size: scratch.size })).catch(
      async (error: unknown) => {
        if (error instanceof AppError && error.status < 500) await prisma.upload.update({ where: { id: upload.id }, data: { status: "failed" } });
        throw error;
      },
    );
    return fileResponse(info, published, 201);
  } finally {
    await scratch.remove();
  }
}

/** One chunk of a resumable upload: 202 with what has arrived, until the chunk that completes it (201, or 200 when retried). */
async function putChunk(request: Request, info: RequestInfo, target: TPutTarget, range: TContentRange): Promise<ApiResponse> {
  const declared = declaredLength(request);
  if (declared !== null && declared !== rangeLength(range)) {
    throw new AppError("request_invalid", `Content-Length is ${declared} but Content-Range names ${rangeLength(range)} bytes.`, [{ field: "Content-Range", message: "length differs from Content-Length" }]);
  }
  const outcome = await receiveChunk(target, range, bodyOf(request), { signal: request.signal });
  if (outcome.kind === "published") return fileResponse(info, outcome.published, outcome.published.created ? 201 : 200);
  const response = objectResponse(info, renderChunkedUpload(info.profile, outcome.upload, outcome.ranges), { status: 202 });
  const received = rangeHeader(outcome.ranges);
  if (received) response.headers.Range = received;
  return response;
}

/** An unfinished resumable upload: what has arrived, and until when the rest may follow. */
function renderChunkedUpload(profile: Profile, upload: Upload, ranges: TRanges): Record<string, unknown> {
  const lastByte = upload.lastByteAt ?? upload.createdAt;
  return {
    id: upload.id,
    object: "upload",
    kind: "chunked",
    status: upload.status,
    folder: upload.folder,
    filename: upload.filename,
    total_bytes: Number(upload.totalBytes),
    bytes_received: Number(upload.bytesReceived),
    ranges,
    expires_at: new Date(lastByte.getTime() + CHUNKED_RESUMABLE_FOR_MS).toISOString(),
    ...renderTimes(profile, "b", { created: upload.createdAt, updated: upload.updatedAt }),
  };
}
