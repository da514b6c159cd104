import { beforeAll, describe, expect, it } from "vitest";
import { call, createTestProject, type TestProject } from "@/tests/helpers/api";

let p: TestProject;
let ids: string[];

beforeAll(async () => {
  p = await createTestProject("2025-01-01");
  ids = [];
  for (let i = 0; i < 7; i++) {
    const res = await call("POST", "/api/connections", {
      key: p.key,
      body: { name: `c${i}`, endpoint: "http://127.0.0.1:9", access_key_id: "a", secret_access_key: "secret-0001" },
    });
    ids.push(res.body.data.id);
  }
  ids.reverse(); // lists are newest first
});

describe("pagination", () => {
  it("pages with page/limit, meta and links in the enveloped profile", async () => {
    const res = await call("GET", "/api/connections?page=2&limit=3", { key: p.key });
    expect(res.body.meta).toMatchObject({ type: "list", page: 2, limit: 3, total: 7, pages: 3 });
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual(ids.slice(3, 6));
    expect(res.body.links).toMatchObject({
      first: "http://localhost:3000/api/connections?page=1&limit=3",
      prev: "http://localhost:3000/api/connections?page=1&limit=3",
      next: "http://localhost:3000/api/connections?page=3&limit=3",
      last: "http://localhost:3000/api/connections?page=3&limit=3",
    });
  });

  it("walks the whole list with after cursors and Link/Has-More/Limit headers", async () => {
    const seen: string[] = [];
    let url: string | null = "/api/connections?limit=3";
    while (url) {
      const res = await call("GET", url, { key: p.key, headers: { "Accept-Version": "latest" } });
      seen.push(...res.body.map((c: { id: string }) => c.id));
      expect(res.headers.get("limit")).toBe("3");
      const next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "");
      expect(res.headers.get("has-more")).toBe(next ? "true" : "false");
      url = next ? next[1]!.replace("http://localhost:3000", "") : null;
    }
    expect(seen).toEqual(ids);
  });

  it("goes back with before and supports ascending order", async () => {
    const back = await call("GET", `/api/connections?before=${ids[4]}&limit=2`, { key: p.key, headers: { "Accept-Version": "latest" } });
    expect(back.body.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[3]]);
    const asc = await call("GET", "/api/connections?order=asc&limit=2", { key: p.key, headers: { "Accept-Version": "latest" } });
    expect(asc.body.map((c: { id: string }) => c.id)).toEqual([ids[6], ids[5]]);
  });

  it("answers bad paging parameters with a 400 naming the parameter", async () => {
    for (const [query, field] of [["limit=0", "limit"], ["limit=101", "limit"], ["page=abc", "page"], ["order=sideways", "order"], ["after=con_unknown", "after"]]) {
      const res = await call("GET", `/api/connections?${query}`, { key: p.key });
      expect(res.status, query).toBe(400);
      expect(res.body.error.message).toContain(field);
    }
  });

  it("returns an empty array past the end", async () => {
    const res = await call("GET", "/api/connections?page=9", { key: p.key, headers: { "Accept-Version": "2025-08-20" } });
    expect(res.body).toEqual([]);
    expect(res.headers.get("x-total-count")).toBe("7");
  });
});
