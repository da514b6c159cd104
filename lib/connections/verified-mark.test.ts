// The "Verified" mark speaks for the saved settings: a failed test or a change to what was tested clears it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createConnection, testConnection, updateConnection } from "@/lib/connections/connections";
import { startS3Server, type S3TestServer } from "@/tests/helpers/s3-server";
import { createTestProject } from "@/tests/helpers/api";

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ["media", "archive"] });
});
afterAll(async () => {
  await s3.close();
});

async function verifiedConnection() {
  const p = await createTestProject();
  const scope = { orgId: p.orgId, projectId: p.projectId };
  const connection = await createConnection(scope, {
    kind: "s3",
    endpoint: s3.endpoint,
    region: "auto",
    access_key_id: s3.accessKeyId,
    secret_access_key: s3.secretAccessKey,
    bucket: "media",
    force_path_style: true,
    verify: true,
  });
  expect(connection.verifiedAt).not.toBeNull();
  return { scope, connection };
}

describe("a connection's verified mark", () => {
  it("is cleared by a failed test", async () => {
    const { scope, connection } = await verifiedConnection();
    // The credentials stop working on the server side; the saved settings stay the same.
    await (await db()).connection.update({ where: { id: connection.id }, data: { accessKeyId: "REVOKED-KEY" } });
    expect((await testConnection(scope, connection.id)).ok).toBe(false);
    expect((await (await db()).connection.findUniqueOrThrow({ where: { id: connection.id } })).verifiedAt).toBeNull();
  });

  it("is cleared by a bucket change, and kept by a rename", async () => {
    const { scope, connection } = await verifiedConnection();
    expect((await updateConnection(scope, connection.id, { name: "Renamed" })).verifiedAt).not.toBeNull();
    expect((await updateConnection(scope, connection.id, { bucket: "archive" })).verifiedAt).toBeNull();
  });

  it("is kept when the API tests another bucket", async () => {
    const { scope, connection } = await verifiedConnection();
    expect((await testConnection(scope, connection.id, { bucket: "no-such-bucket" })).ok).toBe(false);
    expect((await (await db()).connection.findUniqueOrThrow({ where: { id: connection.id } })).verifiedAt).not.toBeNull();
  });
});
