// outboundRequest against real loopback servers; canaries on forbidden addresses must never see a connection.
import https from "node:https";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { DownloadPaceError, OutboundBlockedError, formatBytes, outboundRequest, watchDownloadPace, type ResolveHost } from "@/lib/net/outbound";
import { createSelfSignedCert, startServer, type TestServer } from "./servers";

let app: TestServer;
let otherApp: TestServer;
let canary: TestServer;
let canary6: TestServer;

beforeAll(async () => {
  [app, otherApp, canary, canary6] = await Promise.all([
    startServer("127.0.0.1"),
    startServer("127.0.0.1"),
    startServer("127.0.0.2"),
    startServer("::1"),
  ]);
});

afterAll(async () => {
  await Promise.all([app, otherApp, canary, canary6].map((server) => server.close()));
});

let canaryConnectionsBefore = 0;
beforeEach(() => {
  canaryConnectionsBefore = canary.connections() + canary6.connections();
});
afterEach(() => {
  expect(canary.connections() + canary6.connections(), "connections reached a forbidden canary").toBe(canaryConnectionsBefore);
});

const allowLocal = { allowList: "127.0.0.1" };

function resolveTo(...addresses: string[]): ResolveHost {
  return async () => addresses.map((address) => ({ address }));
}

async function fetchError(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error("expected the request to fail");
  return error;
}

async function expectBlocked(promise: Promise<unknown>): Promise<OutboundBlockedError> {
  const error = await fetchError(promise);
  expect(error).toBeInstanceOf(OutboundBlockedError);
  expect((error as OutboundBlockedError).code).toBe("outbound_blocked");
  return error as OutboundBlockedError;
}

describe("outboundRequest: allowed requests", () => {
  it("fetches from an allow-listed address and reports the final URL", async () => {
    const response = await outboundRequest(`${app.origin}/ok`, allowLocal);
    expect(response.status).toBe(200);
    expect(await response.body.text()).toBe("ok from 127.0.0.1");
    expect(response.url).toBe(`${app.origin}/ok`);
  });

  it("reads MEDIABIT_ALLOW_PRIVATE_HOSTS at call time", async () => {
    const before = process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS;
    try {
      process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS = "localhost, 127.0.0.1";
      resetEnvForTests();
      const response = await outboundRequest(`${app.origin}/ok`);
      expect(await response.body.text()).toBe("ok from 127.0.0.1");

      process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS = "";
      resetEnvForTests();
      await expectBlocked(outboundRequest(`${app.origin}/ok`));
    } finally {
      if (before === undefined) delete process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS;
      else process.env.MEDIABIT_ALLOW_PRIVATE_HOSTS = before;
      resetEnvForTests();
    }
  });

  it("rejects a malformed allow list before connecting", async () => {
    await expect(outboundRequest(`${app.origin}/ok`, { allowList: "127.0.0.1:80" })).rejects.toThrow(
      /invalid MEDIABIT_ALLOW_PRIVATE_HOSTS entry "127.0.0.1:80"/,
    );
  });

  it("connects an allow-listed hostname to its checked address and keeps the Host header", async () => {
    const response = await outboundRequest(`http://media.test:${app.port}/echo`, {
      allowList: "Media.Test.",
      lookup: resolveTo("127.0.0.1"),
    });
    const echoed = (await response.body.json()) as { headers: Record<string, string> };
    expect(echoed.headers.host).toBe(`media.test:${app.port}`);
  });

  it("follows a redirect between allowed addresses", async () => {
    const response = await outboundRequest(`${app.origin}/redirect?to=${encodeURIComponent(`${otherApp.origin}/ok`)}`, allowLocal);
    expect(await response.body.text()).toBe("ok from 127.0.0.1");
    expect(response.url).toBe(`${otherApp.origin}/ok`);
  });

  it("streams the body instead of buffering it", async () => {
    const response = await outboundRequest(`${app.origin}/stream`, allowLocal);
    const chunks = response.body[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(String(first.value)).toBe("first;");
    app.releaseStream();
    let rest = "";
    for (let chunk = await chunks.next(); !chunk.done; chunk = await chunks.next()) rest += String(chunk.value);
    expect(rest).toBe("second");
  });

  it("turns a 303 after POST into a bodiless GET and repeats method and body on 307", async () => {
    const post = (status: number) =>
      outboundRequest(`${app.origin}/redirect?status=${status}&to=/echo`, {
        ...allowLocal,
        method: "POST",
        body: "payload",
        headers: { "content-type": "text/plain" },
      }).then((response) => response.body.json() as Promise<{ method: string; body: string; headers: Record<string, string> }>);
    const afterSeeOther = await post(303);
    expect([afterSeeOther.method, afterSeeOther.body, afterSeeOther.headers["content-type"]]).toEqual(["GET", "", undefined]);
    const afterTemporary = await post(307);
    expect([afterTemporary.method, afterTemporary.body]).toEqual(["POST", "payload"]);
  });

  it("keeps credentials on a same-origin redirect and drops them across origins", async () => {
    const withAuth = async (target: string) => {
      const response = await outboundRequest(`${app.origin}/redirect?to=${encodeURIComponent(target)}`, {
        ...allowLocal,
        headers: { authorization: "Bearer secret", "x-webhook-id": "wh_1" },
      });
      return ((await response.body.json()) as { headers: Record<string, string> }).headers;
    };
    expect(await withAuth("/echo")).toMatchObject({ authorization: "Bearer secret", "x-webhook-id": "wh_1" });
    const crossOrigin = await withAuth(`${otherApp.origin}/echo`);
    expect(crossOrigin.authorization).toBeUndefined();
    expect(crossOrigin["x-webhook-id"]).toBe("wh_1");
  });

  it("resolves once per connection, so a rebinding DNS answer cannot slip in between check and connect", async () => {
    let calls = 0;
    const rebinding: ResolveHost = async () => [{ address: calls++ === 0 ? "127.0.0.1" : "127.0.0.2" }];
    const first = await outboundRequest(`http://rebind.test:${app.port}/ok`, { ...allowLocal, lookup: rebinding });
    expect(await first.body.text()).toBe("ok from 127.0.0.1");
    expect(calls).toBe(1);
    const error = await expectBlocked(outboundRequest(`http://rebind.test:${canary.port}/ok`, { ...allowLocal, lookup: rebinding }));
    expect(error.message).toContain("refused to connect to 127.0.0.2 (loopback address, resolved from rebind.test) for http://rebind.test:");
  });
});

describe("outboundRequest: refused requests", () => {
  it("refuses a loopback address when the allow list is empty, naming the address, reason and URL", async () => {
    const before = app.connections();
    const error = await expectBlocked(outboundRequest(`${app.origin}/ok?token=secret`, { allowList: "" }));
    expect(error.message).toBe(
      `refused to connect to 127.0.0.1 (loopback address) for ${app.origin}/ok; set MEDIABIT_ALLOW_PRIVATE_HOSTS to allow it`,
    );
    expect(app.connections()).toBe(before);
  });

  it.each([
    ["a second loopback address", () => `${canary.origin}/x`, "127.0.0.2"],
    ["IPv6 loopback", () => `http://[::1]:${canary6.port}/x`, "::1"],
    ["an IPv4-mapped IPv6 literal", () => `http://[::ffff:127.0.0.2]:${canary.port}/x`, "::ffff:7f00:2"],
    ["a decimal integer host", () => `http://2130706434:${canary.port}/x`, "127.0.0.2"],
    ["an octal host", () => `http://0177.0.0.2:${canary.port}/x`, "127.0.0.2"],
    ["a hex host", () => `http://0x7f.0.0.2:${canary.port}/x`, "127.0.0.2"],
    ["a short-form host", () => `http://127.2:${canary.port}/x`, "127.0.0.2"],
  ])("refuses %s even when 127.0.0.1 is allowed", async (_name, target, address) => {
    const error = await expectBlocked(outboundRequest(target(), allowLocal));
    expect(error.details).toMatchObject({ reason: "address", address, kind: "loopback" });
  });

  it("refuses http://2130706433/ (127.0.0.1) when nothing is allowed", async () => {
    const before = app.connections();
    await expectBlocked(outboundRequest(`http://2130706433:${app.port}/`, { allowList: "" }));
    expect(app.connections()).toBe(before);
  });

  it("refuses a hostname that resolves to a forbidden address", async () => {
    const error = await expectBlocked(outboundRequest(`http://evil.test:${canary.port}/`, { ...allowLocal, lookup: resolveTo("127.0.0.2") }));
    expect(error.message).toBe(
      `refused to connect to 127.0.0.2 (loopback address, resolved from evil.test) for http://evil.test:${canary.port}/; ` +
        "set MEDIABIT_ALLOW_PRIVATE_HOSTS to allow it",
    );
  });

  it("refuses a hostname when any of its addresses is forbidden", async () => {
    const before = app.connections();
    await expectBlocked(outboundRequest(`http://mixed.test:${app.port}/`, { ...allowLocal, lookup: resolveTo("127.0.0.1", "127.0.0.2") }));
    expect(app.connections()).toBe(before);
  });

  it.each([
    ["127.0.0.2", () => canary.origin],
    ["::1", () => `http://[::1]:${canary6.port}`],
  ])("refuses a redirect from an allowed server to %s", async (address, target) => {
    const error = await expectBlocked(outboundRequest(`${app.origin}/redirect?to=${encodeURIComponent(`${target()}/x`)}`, allowLocal));
    expect(error.details).toMatchObject({ reason: "address", address, url: `${target()}/x` });
  });

  it.each(["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1:70/_x", "data:text/plain,hi", "ws://127.0.0.1/"])(
    "refuses the URL %s by scheme",
    async (url) => {
      const error = await expectBlocked(outboundRequest(url, allowLocal));
      expect(error.details.reason).toBe("scheme");
      expect(error.message).toMatch(/only http: and https: URLs may be fetched/);
    },
  );

  it("refuses a redirect to a file: URL", async () => {
    const error = await expectBlocked(outboundRequest(`${app.origin}/redirect?to=file:///etc/passwd`, allowLocal));
    expect(error.details).toMatchObject({ reason: "scheme", scheme: "file:" });
  });

  it.each([
    [3, 4],
    [undefined, 6],
  ])("gives up after maxRedirects=%s (%s requests)", async (maxRedirects, expectedRequests) => {
    const before = app.requests.filter((request) => request.url === "/loop").length;
    const error = await expectBlocked(outboundRequest(`${app.origin}/loop`, { ...allowLocal, maxRedirects }));
    expect(error.details.reason).toBe("too_many_redirects");
    expect(app.requests.filter((request) => request.url === "/loop").length - before).toBe(expectedRequests);
  });

  it("times out when the server never answers", async () => {
    const error = await fetchError(outboundRequest(`${app.origin}/hang`, { ...allowLocal, timeoutMs: 200 }));
    expect(error.name).toBe("TimeoutError");
  });

  it("stops when the caller's signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await fetchError(outboundRequest(`${app.origin}/hang`, { ...allowLocal, signal: controller.signal }));
    expect(error.name).toBe("AbortError");
  });
});

describe("outboundRequest over TLS", () => {
  const serverNames: string[] = [];
  let tlsApp: TestServer;

  beforeAll(async () => {
    const credentials = createSelfSignedCert("media.test");
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

  it("sends the original hostname as SNI and still verifies the certificate while pinned to the checked IP", async () => {
    const error = await fetchError(
      outboundRequest(`https://media.test:${tlsApp.port}/ok`, { allowList: "media.test", lookup: resolveTo("127.0.0.1") }),
    );
    // The self-signed certificate is rejected rather than skipped: pinning did not turn verification off.
    expect(error).not.toBeInstanceOf(OutboundBlockedError);
    expect((error as NodeJS.ErrnoException).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect(serverNames).toEqual(["media.test"]);
  });
});

describe("watchDownloadPace", () => {
  /** A response body of `length` bytes, one every `everyMs`. */
  async function drip(length: number, everyMs: number) {
    const http = await import("node:http");
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-length": String(length) });
      let left = length;
      const timer = setInterval(() => {
        res.write(Buffer.from([1]));
        if (--left === 0) {
          clearInterval(timer);
          res.end();
        }
      }, everyMs);
      res.on("close", () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as import("node:net").AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/`,
      close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
    };
  }

  async function paced(url: string, limits: { minBytesPerSecond: number; windowMs: number; maxMs: number }) {
    const pace = watchDownloadPace(limits);
    const response = await outboundRequest(url, { ...allowLocal, signal: pace.signal });
    pace.bodyStarted();
    let received = 0;
    const outcome = await new Promise<unknown>((resolve) => {
      response.body.on("data", (chunk: Buffer) => ((received += chunk.length), pace.count(chunk.length)));
      response.body.on("end", () => resolve("ended"));
      response.body.on("error", () => undefined);
      pace.signal.addEventListener("abort", () => resolve(pace.signal.reason));
    });
    pace.stop();
    response.body.destroy();
    return { outcome, received };
  }

  it("aborts a body that drips below the minimum over the window, saying how much arrived", async () => {
    const source = await drip(100, 100);
    try {
      const { outcome, received } = await paced(source.url, { minBytesPerSecond: 1024, windowMs: 500, maxMs: 60_000 });
      expect(outcome).toBeInstanceOf(DownloadPaceError);
      expect((outcome as DownloadPaceError).reason).toBe("too_slow");
      expect((outcome as DownloadPaceError).message).toMatch(/^the source sent \d+ B in 0\.\d s, below the minimum of 1 KiB\/s \(MEDIABIT_DOWNLOAD_MIN_BYTES_PER_SECOND, averaged over 0\.5 s\)$/);
      // Stopped within about a window: the body had 100 bytes to send at 10 a second.
      expect(received).toBeLessThan(20);
    } finally {
      await source.close();
    }
  });

  it("lets a body at or above the minimum run to its end", async () => {
    // A hundred bytes a second for 1.2 s, against a minimum of ten a second over half a second.
    const source = await drip(120, 10);
    try {
      const { outcome, received } = await paced(source.url, { minBytesPerSecond: 10, windowMs: 500, maxMs: 60_000 });
      expect(outcome).toBe("ended");
      expect(received).toBe(120);
    } finally {
      await source.close();
    }
  });

  it("aborts a download past its total time even when the pace is fine", async () => {
    const source = await drip(1000, 10);
    try {
      const { outcome } = await paced(source.url, { minBytesPerSecond: 1, windowMs: 60_000, maxMs: 300 });
      expect(outcome).toBeInstanceOf(DownloadPaceError);
      expect((outcome as DownloadPaceError).reason).toBe("too_long");
      expect((outcome as DownloadPaceError).message).toMatch(/^the download did not finish within 0\.3 s \(MEDIABIT_DOWNLOAD_MAX_SECONDS\); \d+ B had arrived$/);
    } finally {
      await source.close();
    }
  });

  it("formats sizes in the units the settings use", () => {
    expect([3, 1228.8, 32 * 1024, 1.5 * 1024 ** 2, 5 * 1024 ** 3].map(formatBytes)).toEqual(["3 B", "1.2 KiB", "32 KiB", "1.5 MiB", "5 GiB"]);
  });
});
