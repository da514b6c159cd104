// guardedAgents() with node:http(s) and the AWS SDK; canaries on forbidden addresses must never see a connection.
import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { guardedAgents, OutboundBlockedError, type OutboundPolicyOptions, type ResolveHost } from "@/lib/net/outbound";
import { createSelfSignedCert, startServer, type TestServer } from "./servers";

let app: TestServer;
let canary: TestServer;
let canary6: TestServer;

beforeAll(async () => {
  [app, canary, canary6] = await Promise.all([startServer("127.0.0.1"), startServer("127.0.0.2"), startServer("::1")]);
});

afterAll(async () => {
  await Promise.all([app, canary, canary6].map((server) => server.close()));
});

let canaryConnectionsBefore = 0;
beforeEach(() => {
  canaryConnectionsBefore = canary.connections() + canary6.connections();
});
afterEach(() => {
  expect(canary.connections() + canary6.connections(), "connections reached a forbidden canary").toBe(canaryConnectionsBefore);
});

const resolveTo =
  (address: string): ResolveHost =>
  async () => [{ address }];

type Reply = { status: number; body: string };

// A URL string goes through WHATWG parsing; pass `url: null` to hand Node's options (e.g. a raw hostname) straight through.
function get(url: string | null, options: http.RequestOptions | https.RequestOptions): Promise<Reply> {
  const client = url?.startsWith("https:") ? https : http;
  const onResponse = (response: http.IncomingMessage) => {
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => (body += chunk));
    return new Promise<Reply>((resolve) => response.on("end", () => resolve({ status: response.statusCode ?? 0, body })));
  };
  return new Promise((resolve, reject) => {
    const request = url === null ? client.get(options) : client.get(url, options);
    request.on("response", (response) => onResponse(response).then(resolve, reject)).on("error", reject);
  });
}

function withAgents<T>(options: OutboundPolicyOptions, use: (agents: ReturnType<typeof guardedAgents>) => Promise<T>): Promise<T> {
  const agents = guardedAgents(options);
  return use(agents).finally(() => {
    agents.httpAgent.destroy();
    agents.httpsAgent.destroy();
  });
}

describe("guardedAgents with node:http", () => {
  it("connects to an allow-listed address and reuses the kept-alive socket", async () => {
    const before = app.connections();
    const replies = await withAgents({ allowList: "127.0.0.1" }, async ({ httpAgent }) => [
      await get(`${app.origin}/ok`, { agent: httpAgent }),
      await get(`${app.origin}/ok`, { agent: httpAgent }),
    ]);
    expect(replies).toEqual([
      { status: 200, body: "ok from 127.0.0.1" },
      { status: 200, body: "ok from 127.0.0.1" },
    ]);
    expect(app.connections() - before).toBe(1);
  });

  it("connects an allow-listed hostname to its checked address and keeps the Host header", async () => {
    const reply = await withAgents({ allowList: "store.test", lookup: resolveTo("127.0.0.1") }, ({ httpAgent }) =>
      get(`http://store.test:${app.port}/echo`, { agent: httpAgent }),
    );
    expect((JSON.parse(reply.body) as { headers: Record<string, string> }).headers.host).toBe(`store.test:${app.port}`);
  });

  it.each([
    ["a second loopback literal", () => `${canary.origin}/x`, {}],
    ["the IPv6 loopback literal", () => `http://[::1]:${canary6.port}/x`, {}],
    ["a hostname resolving to 127.0.0.2", () => `http://evil.test:${canary.port}/x`, { lookup: resolveTo("127.0.0.2") }],
    ["a hostname resolving to ::1", () => `http://evil.test:${canary6.port}/x`, { lookup: resolveTo("::1") }],
  ])("refuses %s even when 127.0.0.1 is allowed", async (_name, target, options) => {
    const error = await withAgents({ allowList: "127.0.0.1", ...options }, ({ httpAgent }) =>
      get(target(), { agent: httpAgent }).then(
        () => undefined,
        (caught: unknown) => caught,
      ),
    );
    expect(error).toBeInstanceOf(OutboundBlockedError);
    expect((error as OutboundBlockedError).message).toMatch(/^refused to connect to (127\.0\.0\.2|::1) \(loopback address/);
  });

  it.each(["2130706434", "0177.0.0.2", "127.2"])(
    "refuses the numeric host %s, which the system resolver reads as 127.0.0.2",
    async (host) => {
      const error = await withAgents({ allowList: "127.0.0.1" }, ({ httpAgent }) =>
        get(null, { agent: httpAgent, hostname: host, port: canary.port, path: "/" }).then(
          () => undefined,
          (caught: unknown) => caught,
        ),
      );
      expect(error).toBeInstanceOf(OutboundBlockedError);
      expect((error as OutboundBlockedError).details).toMatchObject({ address: "127.0.0.2", kind: "loopback" });
    },
  );

  it("refuses a unix socket path", async () => {
    const error = await withAgents({ allowList: "127.0.0.1" }, ({ httpAgent }) =>
      get("http://localhost/", { agent: httpAgent, socketPath: "/var/run/docker.sock" }).then(
        () => undefined,
        (caught: unknown) => caught,
      ),
    );
    expect(error).toBeInstanceOf(OutboundBlockedError);
    expect((error as OutboundBlockedError).details.reason).toBe("unix_socket");
  });

  it("reads MEDIABIT_ALLOW_PRIVATE_HOSTS for every new connection", async () => {
    const before = process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS;
    const { httpAgent } = guardedAgents();
    try {
      process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS = "127.0.0.1";
      resetEnvForTests();
      expect((await get(`${app.origin}/ok`, { agent: httpAgent })).status).toBe(200);
      httpAgent.destroy();

      process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS = "";
      resetEnvForTests();
      await expect(get(`${app.origin}/ok`, { agent: httpAgent })).rejects.toBeInstanceOf(OutboundBlockedError);
    } finally {
      httpAgent.destroy();
      if (before === undefined) delete process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS;
      else process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS = before;
      resetEnvForTests();
    }
  });
});

describe("guardedAgents with node:https", () => {
  const credentials = createSelfSignedCert("store.test");
  const serverNames: string[] = [];
  let tlsApp: TestServer;

  beforeAll(async () => {
    const context = tls.createSecureContext(credentials);
    const server = https.createServer({
      ...credentials,
      SNICallback: (servername, done) => {
        serverNames.push(servername);
        done(null, context);
      },
    });
    tlsApp = await startServer("127.0.0.1", { server });
  });

  afterAll(() => tlsApp.close());

  it("verifies the certificate for the original hostname and sends it as SNI while pinned to the checked IP", async () => {
    const reply = await withAgents({ allowList: "store.test", lookup: resolveTo("127.0.0.1") }, ({ httpsAgent }) =>
      get(`https://store.test:${tlsApp.port}/echo`, { agent: httpsAgent, ca: credentials.cert }),
    );
    expect(reply.status).toBe(200);
    expect((JSON.parse(reply.body) as { headers: Record<string, string> }).headers.host).toBe(`store.test:${tlsApp.port}`);
    expect(serverNames).toEqual(["store.test"]);
  });

  it("refuses a forbidden hostname before any TLS handshake", async () => {
    const error = await withAgents({ allowList: "127.0.0.1", lookup: resolveTo("127.0.0.2") }, ({ httpsAgent }) =>
      get(`https://store.test:${canary.port}/`, { agent: httpsAgent, ca: credentials.cert }).then(
        () => undefined,
        (caught: unknown) => caught,
      ),
    );
    expect(error).toBeInstanceOf(OutboundBlockedError);
  });
});

describe("guardedAgents with the AWS SDK", () => {
  const listBuckets = (endpoint: string, options: OutboundPolicyOptions) =>
    withAgents(options, ({ httpAgent, httpsAgent }) => {
      const client = new S3Client({
        endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        maxAttempts: 1,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        requestHandler: new NodeHttpHandler({ httpAgent, httpsAgent }),
      });
      return client.send(new ListBucketsCommand({})).finally(() => client.destroy());
    });

  it("reaches an allow-listed S3 endpoint", async () => {
    const result = await listBuckets(app.origin, { allowList: "127.0.0.1" });
    expect(result.Buckets?.map((bucket) => bucket.Name)).toEqual(["media"]);
  });

  it("refuses an S3 endpoint on a forbidden address", async () => {
    await expect(listBuckets(canary.origin, { allowList: "127.0.0.1" })).rejects.toBeInstanceOf(OutboundBlockedError);
  });
});
