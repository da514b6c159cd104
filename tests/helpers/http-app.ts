// The app's route handlers behind a real HTTP server on loopback, for clients that need a URL:
// the official SDKs, ffmpeg seeking over HTTP, curl-like range reads.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { dispatch } from "@/tests/helpers/api";

export type AppServer = { origin: string; close: () => Promise<void> };

export async function startAppServer(): Promise<AppServer> {
  const server = http.createServer(async (req, res) => {
    try {
      const origin = `http://${req.headers.host}`;
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(new URL(req.url ?? "/", origin), {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
        duplex: "half",
      } as RequestInit);
      const response = await dispatch(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body && req.method !== "HEAD") {
        const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
        // A client that hangs up mid-download must release the stored file the body streams from.
        res.on("close", () => body.destroy());
        body.pipe(res);
      } else res.end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
