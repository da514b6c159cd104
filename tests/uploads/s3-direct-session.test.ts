// Direct uploads through the real HTTP stack of a production build: the server actions the uploader calls answer
// only a signed-in member of the project, and a signed-in person's upload goes create → sign → the bucket →
// publish, ending as a ready file with the bytes intact. Runs when the build includes the actions (an uploader imports them).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, hasSession, isBuilt, postCredentials, postServerAction, serverActionId, startBuiltServer, type Server } from "@/tests/auth/built-server";
import { mediaFixture } from "@/tests/helpers/media-fixtures";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";

const OWNER = { email: "owner@direct.test", password: "direct owner passphrase" };
const KEY = "ittybit_test_s3_direct_session_key_0123456789";
const ACTIONS = "lib/dashboard/actions/s3-uploads.ts";

function isActionBuilt(name: string): boolean {
  try {
    return isBuilt && serverActionId(ACTIONS, name) !== "";
  } catch {
    return false;
  }
}

let s3: S3TestServer;
let server: Server;
let origin = "";

beforeAll(async () => {
  if (!isActionBuilt("createS3UploadAction")) return;
  s3 = await startS3Server({ buckets: ["direct-session"] });
  server = await startBuiltServer(0, {
    MEDIABIT_BOOTSTRAP_EMAIL: OWNER.email,
    MEDIABIT_BOOTSTRAP_PASSWORD: OWNER.password,
    MEDIABIT_BOOTSTRAP_KEY: KEY,
    MEDIABIT_STORAGE_URL: "s3://direct-session/mb",
    MEDIABIT_S3_ENDPOINT: s3.endpoint,
    MEDIABIT_S3_ACCESS_KEY_ID: s3.accessKeyId,
    MEDIABIT_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
  origin = server.origin;
}, 120_000);

afterAll(async () => {
  server?.stop();
  await s3?.close();
});

/** Calls a server action the way the browser does; answers the action's result (the RSC payload's JSON row with `ok`). */
async function callAction(name: string, args: unknown, jar?: CookieJar): Promise<{ ok: boolean; error?: string } & Record<string, any>> {
  const response = await postServerAction(origin, "/dashboard", { file: ACTIONS, name }, [args], { jar });
  expect(response.status).toBe(200);
  const text = await response.text();
  for (const line of text.split("\n")) {
    const json = line.slice(line.indexOf(":") + 1);
    if (json.startsWith("{") && json.includes('"ok"')) return JSON.parse(json);
  }
  throw new Error(`no action result in: ${text.slice(0, 500)}`);
}

async function signedIn(): Promise<CookieJar> {
  const { response, jar } = await postCredentials(origin, OWNER);
  expect(response.status).toBe(302);
  expect(hasSession(jar)).toBe(true);
  return jar;
}

async function projectId(): Promise<string> {
  const projects = await fetch(`${origin}/api/projects`, { headers: { Authorization: `Bearer ${KEY}` } });
  const id = /prj_[0-9A-Za-z]+/.exec(await projects.text())?.[0];
  expect(id).toBeDefined();
  return id!;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe.skipIf(!isActionBuilt("createS3UploadAction"))("direct uploads over HTTP (next start, S3 store)", () => {
  it("without a session every action answers that the session ended (401), whatever the arguments", async () => {
    const project = await projectId();
    const attempts: [string, unknown][] = [
      ["createS3UploadAction", { projectId: project, filename: "clip.mp4", size: 10 }],
      ["signS3RequestAction", { projectId: project, uploadId: "upl_x", request: { method: "POST", key: "mb/anything" } }],
      ["completeS3UploadAction", { projectId: project, uploadId: "upl_x" }],
      ["createS3UploadAction", null],
    ];
    for (const [name, args] of attempts) {
      const result = await callAction(name, args);
      expect(result, name).toMatchObject({ ok: false, error: "Your session has ended. Sign in again." });
    }
  });

  it("a signed-in member uploads to the bucket with signed URLs and gets a ready file with identical bytes; another project is not found", async () => {
    const jar = await signedIn();
    const project = await projectId();
    const video = readFileSync(await mediaFixture("videoNoAudio"));

    const created = await callAction("createS3UploadAction", { projectId: project, filename: "clip.mp4", size: video.length, folder: "direct" }, jar);
    expect(created).toMatchObject({ ok: true, uploadId: expect.stringMatching(/^upl_/), key: expect.stringMatching(/^mb\/projects\/prj_.+\/uploads\/upl_.+\/clip\.mp4$/) });
    const sign = async (request: Record<string, unknown>) => {
      const signed = await callAction("signS3RequestAction", { projectId: project, uploadId: created.uploadId, request: { key: created.key, ...request } }, jar);
      expect(signed, JSON.stringify(request)).toMatchObject({ ok: true, url: expect.stringContaining(s3.endpoint) });
      return signed.url as string;
    };
    const started = await fetch(await sign({ method: "POST" }), { method: "POST", headers: { "Content-Type": "video/mp4" } });
    const s3UploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await started.text())?.[1];
    expect(s3UploadId).toBeTruthy();
    const part = await fetch(await sign({ method: "PUT", uploadId: s3UploadId, partNumber: 1 }), { method: "PUT", body: video });
    expect(part.status).toBe(200);
    const etag = part.headers.get("etag");
    const done = await fetch(await sign({ method: "POST", uploadId: s3UploadId }), {
      method: "POST",
      headers: { "Content-Type": "application/xml" },
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`,
    });
    expect(done.status).toBe(200);
    const refused = await callAction("signS3RequestAction", { projectId: project, uploadId: created.uploadId, request: { method: "PUT", key: created.key } }, jar);
    expect(refused).toMatchObject({ ok: false, error: "This upload may only be sent as a multipart upload." });

    const published = await callAction("completeS3UploadAction", { projectId: project, uploadId: created.uploadId }, jar);
    expect(published).toMatchObject({ ok: true, path: "direct/clip.mp4", created: true });
    const file = await fetch(`${origin}/api/files/${published.fileId}`, { headers: { Authorization: `Bearer ${KEY}`, "Accept-Version": "2025-08-20" } });
    const body = (await file.json()) as { status: string; kind: string; url: string; filesize: number };
    expect(body).toMatchObject({ status: "ready", kind: "video", filesize: video.length });
    const delivered = await fetch(body.url);
    expect(delivered.status).toBe(200);
    expect(sha256(Buffer.from(await delivered.arrayBuffer()))).toBe(sha256(video));

    const foreign = await callAction("createS3UploadAction", { projectId: "prj_notyours", filename: "clip.mp4", size: 10 }, jar);
    expect(foreign).toMatchObject({ ok: false, error: expect.stringContaining("no longer a member") });
  });
});
