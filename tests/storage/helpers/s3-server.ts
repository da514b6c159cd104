// s3rver (tests/helpers/s3-server.ts) plus the two multipart operations it lacks — ListMultipartUploads and
// AbortMultipartUpload — answered from s3rver's own upload folders, so aborts and sweeps run against a real server.
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

export type StorageTestServer = {
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

export async function startStorageS3Server(options: { buckets?: string[] } = {}): Promise<StorageTestServer> {
  const directory = mkdtempSync(path.join(os.tmpdir(), "mediabit-storage-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: (options.buckets ?? ["media"]).map((name) => ({ name })),
  });
  // Koa composes `middleware` when the server starts: slot the extension in just before s3rver's router.
  const middleware = (server as { middleware: KoaMiddleware[] }).middleware;
  middleware.splice(middleware.length - 1, 0, multipartExtension(directory));
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    directory,
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Multipart uploads still open on the server (for assertions). */
export function openUploads(server: StorageTestServer, bucket: string, prefix = ""): Promise<{ key: string; uploadId: string }[]> {
  return listUploads(server.directory, bucket, prefix);
}

/** Makes every open multipart upload under `prefix` look `ms` older, as if its process had died long ago. */
export async function ageUploads(server: StorageTestServer, bucket: string, prefix: string, ms: number): Promise<void> {
  const when = new Date(Date.now() - ms);
  for (const upload of await listUploads(server.directory, bucket, prefix)) {
    await utimes(path.join(server.directory, bucket, UPLOADS_DIR, upload.uploadId, "key"), when, when);
  }
}
