// /api/domains: CRUD, strict hostnames, one hostname per server, other projects' domains, and verification through
// a fake CNAME resolver (no DNS traffic).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { recheckPendingDomains } from "@/lib/domains/domains";
import { useCnameResolver, type CnameResolver } from "@/lib/domains/resolver";
import { resetEnvForTests } from "@/lib/env";
import { call, createTestProject, data, type TestProject } from "@/tests/helpers/api";

const TARGET = "cdn.mediabit.test";
let p: TestProject;
let restoreResolver: (() => void) | null = null;

function dnsError(code: string): Error {
  return Object.assign(new Error(`queryCname ${code}`), { code });
}

/** Answers CNAME lookups from `table`; a missing name is ENODATA, as Node's resolver says. */
function fakeDns(table: Record<string, string[] | Error>): { lookups: string[] } {
  const lookups: string[] = [];
  const resolver: CnameResolver = async (hostname) => {
    lookups.push(hostname);
    const answer = table[hostname];
    if (answer instanceof Error) throw answer;
    if (!answer) throw dnsError("ENODATA");
    return answer;
  };
  restoreResolver = useCnameResolver(resolver);
  return { lookups };
}

let counter = 0;
const STAMP = Date.now().toString(36);
const uniqueHost = (label = "media") => `${label}-${STAMP}-${counter++}.example.com`;

beforeAll(async () => {
  process.env.MEDIABIT_DOMAIN_TARGET = TARGET;
  resetEnvForTests();
  p = await createTestProject("latest");
});

// A shared PostgreSQL outlives this file: leave no domain behind for another run's housekeeping to look up.
afterAll(async () => {
  const prisma = await db();
  await prisma.domain.deleteMany({ where: { hostname: { contains: STAMP } } });
});

afterEach(() => {
  restoreResolver?.();
  restoreResolver = null;
});

async function addDomain(hostname: string, key = p.key) {
  return call("POST", "/api/domains", { key, body: { hostname } });
}

describe("POST /api/domains", () => {
  it("adds a pending domain with the CNAME to create", async () => {
    const hostname = uniqueHost();
    const res = await addDomain(hostname);
    expect(res.status).toBe(201);
    expect(data(res)).toMatchObject({
      id: expect.stringMatching(/^dom_/),
      object: "domain",
      hostname,
      status: "pending",
      verified: false,
      last_error: null,
      dns_records: [{ type: "CNAME", name: hostname, value: TARGET }],
      created: expect.any(String),
      updated: expect.any(String),
    });
  });

  it("stores the hostname lower-case and in punycode", async () => {
    const label = `médias-${STAMP}-${counter++}`;
    const res = await addDomain(`${label.toUpperCase()}.Example.com.`);
    expect(res.status).toBe(201);
    expect(data(res).hostname).toMatch(/^xn--m.*\.example\.com$/);
    expect(data(res).hostname).toBe(data(res).hostname.toLowerCase());
  });

  it.each([
    ["https://media.example.com/", "without https://"],
    ["media.example.com:443", "without a port"],
    ["192.0.2.1", "IP address"],
    ["localhost", "full hostname"],
    ["app.localhost", "localhost"],
    [TARGET, "own hostname"],
  ])("refuses %j with a 400 that says why, and saves nothing", async (hostname, words) => {
    const prisma = await db();
    const before = await prisma.domain.count({ where: { projectId: p.projectId } });
    const res = await addDomain(hostname);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(words);
    expect(await prisma.domain.count({ where: { projectId: p.projectId } })).toBe(before);
  });

  it("refuses a body without a hostname or with other fields", async () => {
    expect((await call("POST", "/api/domains", { key: p.key, body: {} })).status).toBe(400);
    expect((await call("POST", "/api/domains", { key: p.key, body: { hostname: uniqueHost(), project_id: "prj_x" } })).status).toBe(400);
  });

  it("answers 409 when any project on the server already has the hostname", async () => {
    const hostname = uniqueHost("taken");
    expect((await addDomain(hostname)).status).toBe(201);
    const other = await createTestProject("latest");
    const again = await addDomain(hostname.toUpperCase(), other.key);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain("already added");
    expect((await addDomain(hostname)).status).toBe(409);
  });
});

describe("GET, DELETE /api/domains/{id}", () => {
  it("lists, reads and deletes the project's domains", async () => {
    const own = await createTestProject("latest");
    const a = data(await addDomain(uniqueHost("a"), own.key));
    const b = data(await addDomain(uniqueHost("b"), own.key));
    const list = await call("GET", "/api/domains?limit=1", { key: own.key });
    expect(list.status).toBe(200);
    expect(data(list).map((d: { id: string }) => d.id)).toEqual([b.id]);
    const next = await call("GET", `/api/domains?limit=1&after=${b.id}`, { key: own.key });
    expect(data(next).map((d: { id: string }) => d.id)).toEqual([a.id]);

    const one = await call("GET", `/api/domains/${a.id}`, { key: own.key });
    expect(one.status).toBe(200);
    expect(data(one).hostname).toBe(a.hostname);

    expect((await call("DELETE", `/api/domains/${a.id}`, { key: own.key })).status).toBe(200);
    expect((await call("GET", `/api/domains/${a.id}`, { key: own.key })).status).toBe(404);
    // The hostname is free again.
    expect((await addDomain(a.hostname, own.key)).status).toBe(201);
  });

  it("answers 404 for another project's domain and leaves it alone", async () => {
    const theirs = data(await addDomain(uniqueHost("theirs")));
    const other = await createTestProject("latest");
    for (const [method, path] of [
      ["GET", `/api/domains/${theirs.id}`],
      ["DELETE", `/api/domains/${theirs.id}`],
      ["POST", `/api/domains/${theirs.id}/verify`],
    ] as const) {
      const res = await call(method, path, { key: other.key });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.kind).toBe("domain_not_found");
    }
    const list = await call("GET", "/api/domains", { key: other.key });
    expect(data(list)).toEqual([]);
    const prisma = await db();
    expect(await prisma.domain.findUnique({ where: { id: theirs.id } })).toMatchObject({ status: "pending", lastCheckedAt: null });
  });
});

describe("POST /api/domains/{id}/verify", () => {
  it("activates a domain whose CNAME points at the target", async () => {
    const hostname = uniqueHost("ok");
    const dns = fakeDns({ [hostname]: [`${TARGET.toUpperCase()}.`] });
    const created = data(await addDomain(hostname));
    const res = await call("POST", `/api/domains/${created.id}/verify`, { key: p.key });
    expect(res.status).toBe(200);
    expect(data(res)).toMatchObject({ status: "active", verified: true, last_error: null, verified_at: expect.any(String), last_checked_at: expect.any(String) });
    expect(dns.lookups).toEqual([hostname]);
  });

  it("fails a domain whose CNAME points elsewhere, naming both", async () => {
    const hostname = uniqueHost("wrong");
    fakeDns({ [hostname]: ["elsewhere.example.net"] });
    const created = data(await addDomain(hostname));
    const res = await call("POST", `/api/domains/${created.id}/verify`, { key: p.key });
    expect(res.status).toBe(200);
    expect(data(res)).toMatchObject({ status: "failed", verified: false });
    expect(data(res).last_error).toBe(`${hostname} has a CNAME record pointing to elsewhere.example.net, not to ${TARGET}. Change its value to ${TARGET}.`);
  });

  it("fails a domain with no CNAME record, saying what to create", async () => {
    const hostname = uniqueHost("none");
    fakeDns({});
    const created = data(await addDomain(hostname));
    const res = await call("POST", `/api/domains/${created.id}/verify`, { key: p.key });
    expect(data(res).status).toBe("failed");
    expect(data(res).last_error).toContain(`No CNAME record was found for ${hostname}. Create a CNAME record named ${hostname} with the value ${TARGET}`);
  });

  it("says the lookup got no answer when DNS times out, and an active domain that stops pointing here is failed", async () => {
    const hostname = uniqueHost("flaky");
    const table: Record<string, string[] | Error> = { [hostname]: [TARGET] };
    fakeDns(table);
    const created = data(await addDomain(hostname));
    expect(data(await call("POST", `/api/domains/${created.id}/verify`, { key: p.key })).status).toBe("active");
    table[hostname] = dnsError("ETIMEOUT");
    const res = data(await call("POST", `/api/domains/${created.id}/verify`, { key: p.key }));
    expect(res).toMatchObject({ status: "failed", verified_at: expect.any(String) });
    expect(res.last_error).toContain("did not give an answer (ETIMEOUT)");
  });
});

describe("periodic re-check", () => {
  it("activates pending domains whose CNAME now points here, and leaves recently checked ones", async () => {
    const ready = uniqueHost("later");
    const notYet = uniqueHost("notyet");
    const own = await createTestProject("latest");
    const created = data(await addDomain(ready, own.key));
    const waiting = data(await addDomain(notYet, own.key));
    const resolve: CnameResolver = async (hostname) => {
      if (hostname === ready) return [TARGET];
      throw dnsError("ENODATA");
    };
    await recheckPendingDomains({ resolve, scope: own });
    const prisma = await db();
    expect(await prisma.domain.findUnique({ where: { id: created.id } })).toMatchObject({ status: "active", lastError: null });
    const failed = await prisma.domain.findUnique({ where: { id: waiting.id } });
    expect(failed).toMatchObject({ status: "failed", lastError: expect.stringContaining("No CNAME record") });
    // Checked a moment ago: not looked up again yet.
    const seen: string[] = [];
    await recheckPendingDomains({ resolve: async (h) => (seen.push(h), [TARGET]), scope: own });
    expect(seen).not.toContain(notYet);
  });
});
