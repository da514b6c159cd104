// Requests to an upload URL (`/u/<token>`, no API key: the token is the credential): a multipart POST, a raw PUT or tus,
// answered in the profile of the call that created the upload, with CORS open to any origin (no credentials).
import { AppError } from "@/lib/api/errors";
import { errorResponse, objectResponse, type RequestInfo } from "@/lib/api/render";
import { resolveProfileLeniently, type Profile } from "@/lib/api/version";
import { publicUrl } from "@/lib/api/with-api";
import type { Upload } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/db/unavailable";
import { renderFile } from "@/lib/files/render";
import { newId } from "@/lib/ids";
import { getMediaOrThrow } from "@/lib/media-items/media";
import { renderMedia } from "@/lib/media-items/render";
import { receiveMultipartBody, receiveRawBody, type ReceivedBody } from "@/lib/uploads/multipart";
import { publishUpload, type PublishedUpload } from "@/lib/uploads/publish";
import { uploadUrl } from "@/lib/uploads/token";
import { answerOptions, handleTus, type TusContext } from "@/lib/uploads/tus";
import { assertUploadOpen, findUploadByToken, progressRecorder, uploadProfile } from "@/lib/uploads/uploads";

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "Location, Upload-Offset, Upload-Length, Upload-Expires, Tus-Resumable, Tus-Version, Tus-Extension, Tus-Max-Size, X-Request-Id",
};

type Target = { token: string; rest: string[] };

function json(info: RequestInfo, status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, (_key, value: unknown) => (typeof value === "bigint" ? Number(value) : value)), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "X-Request-Id": info.requestId, ...CORS_HEADERS, ...extra },
  });
}

function errorJson(info: RequestInfo, error: AppError, extra: Record<string, string> = {}): Response {
  const response = errorResponse(info, { status: error.status, code: error.code, message: error.message, details: error.details });
  return json(info, response.status, response.body, extra);
}

/** Generation A answers the created media (as POST /api/media does); later profiles answer the file. */
async function renderPublished(info: RequestInfo, published: PublishedUpload, extra: Record<string, string> = {}): Promise<Response> {
  const origin = info.url.origin;
  const { file } = published;
  const data =
    info.profile.name === "enveloped"
      ? renderMedia(info.profile, await getMediaOrThrow({ projectId: file.projectId, orgId: "" }, file.mediaId), origin)
      : renderFile(info.profile, file, { origin, alias: file.project.alias });
  const response = objectResponse(info, data);
  return json(info, 200, response.body, extra);
}

/** An attempt that failed before publishing stored nothing: the URL is as before, with the reason kept when it is the content's. */
async function resetAfterFailedAttempt(upload: Upload, error: unknown): Promise<void> {
  const prisma = await db();
  const reason = error instanceof AppError && error.status < 500 ? error.message : undefined;
  await prisma.upload.updateMany({
    where: { id: upload.id, status: { in: ["waiting", "uploading"] }, tusId: null },
    data: { status: "waiting", bytesReceived: 0n, ...(reason ? { error: reason } : {}) },
  });
}

async function receiveWhole(request: Request, info: RequestInfo, upload: Upload): Promise<Response> {
  const progress = progressRecorder(upload.id);
  const options = { name: `upload-${upload.id}`, signal: request.signal, onBytes: progress.add };
  let received: ReceivedBody | undefined;
  try {
    received = request.method === "PUT" ? await receiveRawBody(request, options) : await receiveMultipartBody(request, options);
    await progress.flush(received.scratch.size);
    const published = await publishUpload(upload.id, { path: received.scratch.path, size: received.scratch.size, clientFilename: received.clientFilename }, { signal: request.signal });
    return await renderPublished(info, published);
  } catch (error) {
    await progress.settle();
    await resetAfterFailedAttempt(upload, error).catch(() => undefined);
    throw error;
  } finally {
    await received?.scratch.remove();
  }
}

async function route(request: Request, target: Target, info: RequestInfo): Promise<Response> {
  const upload = await findUploadByToken(target.token);
  info.profile = uploadProfile(upload);
  info.projectId = upload.projectId;
  assertUploadOpen(upload);
  const isTus = request.headers.has("tus-resumable");
  const [tusId, ...beyond] = target.rest;
  if (beyond.length > 0) throw new AppError("upload_not_found", "No such upload address.");
  if (tusId !== undefined || isTus) {
    if (tusId !== undefined && tusId !== upload.tusId) throw new AppError("upload_not_found", "No tus upload with this id at this upload URL.");
    if (tusId === undefined && request.method !== "POST") throw new AppError("method_not_allowed", `${request.method} needs a tus upload's address (the Location of its creation).`);
    const context: TusContext = { upload, url: uploadUrl(info.url.origin, target.token), tusId };
    const response = await handleTus(request, context);
    const tusHeaders = Object.fromEntries(response.headers);
    if (context.published) return renderPublished(info, context.published, tusHeaders);
    if (context.refused) return errorJson(info, context.refused, tusHeaders);
    return response;
  }
  if (request.method === "POST" || request.method === "PUT") return receiveWhole(request, info, upload);
  const error = new AppError("method_not_allowed", `${request.method} is not supported on an upload URL: POST multipart/form-data, PUT the bytes, or use tus.`);
  return errorJson(info, error, { Allow: "POST, PUT, OPTIONS" });
}

function newInfo(request: Request, profile: Profile): RequestInfo {
  return { requestId: newId("req", 20), profile, url: publicUrl(request) };
}

/** Every method of `/u/<token>` and `/u/<token>/<tus id>`. */
export async function handleUploadUrl(request: Request, target: Target): Promise<Response> {
  if (request.method === "OPTIONS") return answerOptions(request);
  const info = newInfo(request, resolveProfileLeniently(request.headers));
  try {
    return await route(request, target, info);
  } catch (error) {
    if (error instanceof AppError) return errorJson(info, error);
    if (isDatabaseUnavailable(error)) return errorJson(info, new AppError("service_unavailable", "The service is briefly unavailable. Retry in a few seconds."), { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
    // A client that went away mid-body has nobody to answer.
    if (request.signal.aborted) return new Response(null, { status: 499 });
    console.error(`[${info.requestId}] upload URL: unexpected error`, error);
    return errorJson(info, new AppError("internal_error", `Something went wrong on our side. Quote request id ${info.requestId} when reporting it.`));
  }
}
