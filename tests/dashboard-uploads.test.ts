// The media page's server action through the real HTTP stack of a production build (`next build` first): it makes
// a single-use `session` upload URL for a project of the signed-in person only, which then takes a tus upload;
// without a session, or for someone else's project, it answers in words and creates nothing.
import { readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, isBuilt, postCredentials, postServerAction, startBuiltServer, type Server } from "@/tests/auth/built-server";
import { mediaFixture } from "@/tests/helpers/media-fixtures";

const OWNER = { email: "owner@dashboard-uploads.test", password: "dashboard uploads owner" };
const KEY = "ittybit_test_dashboard_uploads_key_0123456789";
const CREATE = { file: "lib/dashboard/actions/uploads.ts", name: "createSessionUploadAction" };

let server: Server;
let origin = "";
let projectId = "";

beforeAll(async () => {
  if (!isBuilt) return;
  server = await startBuiltServer(0, {
    MEDIABIT_BOOTSTRAP_EMAIL: OWNER.email,
    MEDIABIT_BOOTSTRAP_PASSWORD: OWNER.password,
    MEDIABIT_BOOTSTRAP_KEY: KEY,
  });
  origin = server.origin;
  const projects = await api("/api/projects");
  projectId = /prj_[0-9A-Za-z]+/.exec(await projects.text())?.[0] ?? "";
}, 120_000);

afterAll(() => server?.stop());

function api(path: string): Promise<Response> {
  return fetch(`${origin}${path}`, { headers: { Authorization: `Bearer ${KEY}` } });
}

async function callAction(args: unknown[], jar?: CookieJar): Promise<string> {
  const response = await postServerAction(origin, "/dashboard/media", CREATE, args, { jar });
  expect(response.status).toBe(200);
  return response.text();
}

async function uploadCount(): Promise<number> {
  const response = await api("/api/uploads?limit=100");
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: unknown[] }).data.length;
}

describe.skipIf(!isBuilt)("createSessionUploadAction over HTTP (next start)", () => {
  it("makes a session upload URL for the person's project, which takes a tus upload that becomes ready media", async () => {
    const { jar } = await postCredentials(origin, OWNER);
    const answer = await callAction([{ projectId, filename: "clip.mp4", folder: "from the dashboard" }], jar);
    const uploadId = /"uploadId":"(upl_[0-9A-Za-z]+)"/.exec(answer)?.[1];
    const url = /"url":"([^"]+)"/.exec(answer)?.[1] ?? "";
    expect(uploadId, answer).toBeDefined();
    expect(url).toMatch(new RegExp(`^${origin}/u/[0-9A-Za-z]{32,64}$`));

    // The API key of the same project sees it: made for this project, waiting, named as asked.
    const shown = (await (await api(`/api/uploads/${uploadId}`)).json()) as { data: Record<string, unknown> };
    expect(shown.data).toMatchObject({ id: uploadId, status: "waiting", filename: "clip.mp4", folder: "from-the-dashboard", bytes_received: 0 });

    const video = await mediaFixture("videoNoAudio");
    const size = statSync(video).size;
    const created = await fetch(url, { method: "POST", headers: { "Tus-Resumable": "1.0.0", "Upload-Length": String(size) } });
    expect(created.status).toBe(201);
    const location = created.headers.get("location") ?? "";
    expect(location.startsWith(`${url}/`)).toBe(true);
    const patched = await fetch(location, {
      method: "PATCH",
      headers: { "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" },
      body: readFileSync(video),
    });
    expect(patched.status).toBeLessThan(300);

    const done = (await (await api(`/api/uploads/${uploadId}`)).json()) as { data: { status: string; file_id: string; bytes_received: number } };
    expect(done.data).toMatchObject({ status: "completed", bytes_received: size });
    const file = (await (await api(`/api/files/${done.data.file_id}`)).json()) as { data: Record<string, unknown> };
    expect(file.data).toMatchObject({ kind: "video", width: 320, height: 240, filesize: size, folder: "from-the-dashboard", filename: "clip.mp4", status: "ready" });
    // Single use: the finished URL takes nothing more.
    const again = await fetch(url, { method: "POST", headers: { "Tus-Resumable": "1.0.0", "Upload-Length": "10" } });
    expect(again.status).toBe(410);
  });

  it("answers without a session or for another project in words, and creates no upload", async () => {
    const before = await uploadCount();
    for (const args of [[{ projectId, filename: "a.mp4" }], [], [null]]) {
      expect(await callAction(args)).toContain("Your session has ended");
    }
    const { jar } = await postCredentials(origin, OWNER);
    expect(await callAction([{ projectId: "prj_notyours0000000", filename: "a.mp4" }], jar)).toContain("no longer a member");
    // Validation runs after the membership check, with the field named.
    const unnamed = await callAction([{ projectId, filename: "  " }], jar);
    expect(unnamed).toContain("Check the highlighted fields");
    expect(unnamed).toContain("the file needs a name");
    expect(await uploadCount()).toBe(before);
  });
});
