// A real S3-compatible server on loopback (s3rver) for tests: fresh directory, named buckets with a CORS
// rule browsers need (Uppy reads ETag), plus the two multipart operations s3rver lacks — ListMultipartUploads
// and AbortMultipartUpload — answered from its own upload folders, so aborts and sweeps run against it too.
import { mkdtempSync, rmSync } from "node:fs";
import { readdir, readFile, rm, stat, utimes } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
// @ts-expect-error s3rver ships no types
import S3rver from "s3rver";

type KoaContext = { method: string; url: string; status: number; type: string; body: unknown };
type KoaNext = () => Promise<void>;
type KoaMiddleware = (ctx: KoaContext, next: KoaNext) => Promise<void>;

export type S3TestServer = {
  port: number;
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  directory: string;
  close: () => Promise<void>;
};

// s3rver keeps each multipart upload in `<dir>/<bucket>/._S3rver_uploads/<uploadId>/` with a `key` file.
const UPLOADS_DIR = "._S3rver_uploads";

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

function xmlError(ctx: KoaContext, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.type = "application/xml";
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`;
}

async function listUploads(directory: string, bucket: string, prefix: string): Promise<{ key: string; uploadId: string; initiated: Date }[]> {
  const root = path.join(directory, bucket, UPLOADS_DIR);
  let ids: string[];
  try {
    ids = await readdir(root);
  } catch {
    return [];
  }
  const uploads = [];
  for (const uploadId of ids) {
    try {
      const keyFile = path.join(root, uploadId, "key");
      const key = await readFile(keyFile, "utf8");
      if (key.startsWith(prefix)) uploads.push({ key, uploadId, initiated: (await stat(keyFile)).mtime });
    } catch {
      // Completed or aborted while we looked.
    }
  }
  return uploads.sort((a, b) => (a.key === b.key ? a.uploadId.localeCompare(b.uploadId) : a.key < b.key ? -1 : 1));
}

function multipartExtension(directory: string): KoaMiddleware {
  return async (ctx, next) => {
    const url = new URL(ctx.url, "http://s3.test");
    const [bucket = "", ...rest] = url.pathname.slice(1).split("/");
    const hasKey = rest.some((segment) => segment !== "");
    if (ctx.method === "GET" && bucket && !hasKey && url.searchParams.has("uploads")) {
      const prefix = url.searchParams.get("prefix") ?? "";
      const uploads = await listUploads(directory, decodeURIComponent(bucket), prefix);
      ctx.status = 200;
      ctx.type = "application/xml";
      ctx.body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
        `<Bucket>${escapeXml(bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>` +
        `<Prefix>${escapeXml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
        uploads
          .map(
            (upload) =>
              `<Upload><Key>${escapeXml(upload.key)}</Key><UploadId>${upload.uploadId}</UploadId>` +
              `<Initiated>${upload.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
          )
          .join("") +
        `</ListMultipartUploadsResult>`;
      return;
    }
    const uploadId = url.searchParams.get("uploadId");
    if (ctx.method === "DELETE" && bucket && hasKey && uploadId) {
      const key = decodeURIComponent(rest.join("/"));
      const folder = path.join(directory, decodeURIComponent(bucket), UPLOADS_DIR, path.basename(uploadId));
      const storedKey = await readFile(path.join(folder, "key"), "utf8").catch(() => null);
      if (storedKey !== key) return xmlError(ctx, 404, "NoSuchUpload", "The specified upload does not exist.");
      await rm(folder, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = "";
      return;
    }
    await next();
  };
}

const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedMethod>DELETE</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

export async function startS3Server(options: { port?: number; buckets?: string[]; directory?: string } = {}): Promise<S3TestServer> {
  const directory = options.directory ?? mkdtempSync(path.join(os.tmpdir(), "mediabit-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    directory,
    silent: true,
    configureBuckets: (options.buckets ?? ["media"]).map((name) => ({ name, configs: [CORS] })),
  });
  // Koa composes `middleware` when the server starts: slot the extension in just before s3rver's router.
  const middleware = (server as { middleware: KoaMiddleware[] }).middleware;
  middleware.splice(middleware.length - 1, 0, multipartExtension(directory));
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    // s3rver's built-in account; it checks the key id but not signatures (NOTES-STACK.md).
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    directory,
    close: async () => {
      await server.close();
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Multipart uploads still open on the server (for assertions). */
export function openUploads(server: S3TestServer, bucket: string, prefix = ""): Promise<{ key: string; uploadId: string }[]> {
  return listUploads(server.directory, bucket, prefix);
}

/** Makes every open multipart upload under `prefix` look `ms` older, as if its process had died long ago. */
export async function ageUploads(server: S3TestServer, bucket: string, prefix: string, ms: number): Promise<void> {
  const when = new Date(Date.now() - ms);
  for (const upload of await listUploads(server.directory, bucket, prefix)) {
    await utimes(path.join(server.directory, bucket, UPLOADS_DIR, upload.uploadId, "key"), when, when);
  }
}
