// Loopback-only HTTP servers for outbound tests: a small app to fetch from, and canaries that must stay untouched.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

export type TestServer = {
  host: string;
  port: number;
  origin: string;
  connections: () => number;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  releaseStream: () => void;
  close: () => Promise<void>;
};

/** Starts the test app on `host` (a loopback address) at an ephemeral port. */
export async function startServer(host: string, options: { server?: http.Server } = {}): Promise<TestServer> {
  const server = options.server ?? http.createServer();
  let connections = 0;
  let releaseStream = () => {};
  const streamReleased = new Promise<void>((resolve) => (releaseStream = resolve));
  const requests: TestServer["requests"] = [];
  server.on("connection", () => connections++);
  server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
      routeRequest(request, response, { body, streamReleased });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    origin: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    connections: () => connections,
    requests,
    releaseStream,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// What an S3 server answers to ListBuckets, so the AWS SDK can be driven through the guarded agents.
const LIST_BUCKETS_XML =
  '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Owner><ID>test</ID></Owner>' +
  "<Buckets><Bucket><Name>media</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>" +
  "</ListAllMyBucketsResult>";

function routeRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  context: { body: string; streamReleased: Promise<void> },
): void {
  const url = new URL(request.url ?? "/", "http://test.invalid");
  if (request.headers.authorization?.startsWith("AWS4-HMAC-SHA256")) {
    response.writeHead(200, { "content-type": "application/xml" });
    response.end(LIST_BUCKETS_XML);
    return;
  }
  switch (url.pathname) {
    case "/redirect":
      response.writeHead(Number(url.searchParams.get("status") ?? 302), { location: url.searchParams.get("to") ?? "/" });
      response.end();
      return;
    case "/loop":
      response.writeHead(302, { location: "/loop" });
      response.end();
      return;
    case "/echo":
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ method: request.method, headers: request.headers, body: context.body }));
      return;
    case "/stream":
      // The second chunk waits for the test, so a client that buffers whole bodies would never return.
      response.writeHead(200, { "content-type": "text/plain" });
      response.write("first;");
      void context.streamReleased.then(() => response.end("second"));
      return;
    case "/hang":
      return;
    default:
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(`ok from ${request.socket.localAddress}`);
  }
}

/** A throwaway self-signed certificate for `hostname`, made with the system openssl. */
export function createSelfSignedCert(hostname: string): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mediabit-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1",
        "-subj", `/CN=${hostname}`, "-addext", `subjectAltName=DNS:${hostname}`,
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(path.join(dir, "key.pem"), "utf8"), cert: readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
