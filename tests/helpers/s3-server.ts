// A real S3-compatible server on loopback (s3rver) for tests: fresh directory, named buckets with a
// CORS rule that lets browsers upload (Uppy reads ETag for multipart).
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
// @ts-expect-error s3rver ships no types
import S3rver from "s3rver";

const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedMethod>DELETE</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

export type S3TestServer = {
  endpoint: string;
  port: number;
  accessKeyId: string;
  secretAccessKey: string;
  directory: string;
  close: () => Promise<void>;
};

export async function startS3Server(options: { port?: number; buckets?: string[]; directory?: string } = {}): Promise<S3TestServer> {
  const directory = options.directory ?? mkdtempSync(path.join(os.tmpdir(), "mediabit-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    directory,
    silent: true,
    configureBuckets: (options.buckets ?? ["media"]).map((name) => ({ name, configs: [CORS] })),
  });
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
