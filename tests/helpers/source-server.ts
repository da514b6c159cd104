// A loopback HTTP server that plays the "somewhere on the internet" a user ingests from: serves
// files, HTML pages, 404s and redirects, optionally slowly, and counts what it was asked for.
import { createReadStream, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Route =
  | { file: string; contentType?: string; bytesPerSecond?: number; noLength?: boolean }
  | { status: number; body?: string; contentType?: string }
  | { redirect: string; status?: number };

export type SourceServer = {
  origin: string;
  url: (path: string) => string;
  route: (path: string, route: Route) => void;
  hits: Map<string, number>;
  /** Bytes of file bodies written so far, per path. */
  sent: Map<string, number>;
  /** TCP connections accepted, requests or not. */
  connections: () => number;
  close: () => Promise<void>;
};

export async function startSourceServer(host = "127.0.0.1"): Promise<SourceServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const sent = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes.get(path);
    if (!route) return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    if ("redirect" in route) return void res.writeHead(route.status ?? 302, { location: route.redirect }).end();
    if ("status" in route) return void res.writeHead(route.status, { "content-type": route.contentType ?? "text/html" }).end(route.body ?? "");
    const size = statSync(route.file).size;
    res.writeHead(200, { "content-type": route.contentType ?? "application/octet-stream", ...(route.noLength ? {} : { "content-length": String(size) }) });
    const stream = createReadStream(route.file, route.bytesPerSecond ? { highWaterMark: Math.max(1024, Math.floor(route.bytesPerSecond / 10)) } : {});
    stream.on("data", (chunk) => {
      sent.set(path, (sent.get(path) ?? 0) + chunk.length);
      if (!route.bytesPerSecond) return;
      stream.pause();
      setTimeout(() => stream.resume(), 100);
    });
    stream.pipe(res);
    res.on("close", () => stream.destroy());
  });
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    route: (path, route) => void routes.set(path, route),
    hits,
    sent,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
