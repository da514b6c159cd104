// First start: the bootstrap organisation always gets an owner, so it can never be claimed by signing up.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bootstrap, DEV_LOGIN_EMAIL } from "@/lib/bootstrap";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { verifyCredentials } from "@/lib/users/users";
import { useFreshDatabase, withSettings } from "./helpers";

const KEY = "ittybit_test_bootstrap_key_0123456789";

async function ownersOfFirstOrg() {
  const prisma = await db();
  const project = await prisma.project.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  return prisma.membership.findMany({ where: { orgId: project.orgId }, include: { user: true } });
}

beforeEach(async () => {
  await useFreshDatabase();
});

afterEach(() => withSettings({ MEDIABIT_BOOTSTRAP_KEY: undefined, MEDIABIT_BOOTSTRAP_EMAIL: undefined, MEDIABIT_BOOTSTRAP_PASSWORD: undefined }));

describe("bootstrap", () => {
  it("with MEDIABIT_BOOTSTRAP_KEY alone, still makes an owner and prints a one-time login", async () => {
    withSettings({ MEDIABIT_BOOTSTRAP_KEY: KEY });
    const result = await bootstrap();
    expect(result.apiKey?.fromEnv).toBe(true);
    expect(result.login?.email).toBe(DEV_LOGIN_EMAIL);
    const owners = await ownersOfFirstOrg();
    expect(owners.map((m) => [m.user.email, m.role])).toEqual([[DEV_LOGIN_EMAIL, "owner"]]);
    expect(await verifyCredentials(DEV_LOGIN_EMAIL, result.login?.password ?? "")).toMatchObject({ email: DEV_LOGIN_EMAIL });
    // A second start changes nothing and prints no login.
    const again = await bootstrap();
    expect(again.login).toBeUndefined();
    expect(await ownersOfFirstOrg()).toHaveLength(1);
  });

  it("MEDIABIT_BOOTSTRAP_EMAIL/PASSWORD make that person the owner (with a key too), and no password is printed", async () => {
    withSettings({ MEDIABIT_BOOTSTRAP_KEY: KEY, MEDIABIT_BOOTSTRAP_EMAIL: "Ops@Example.test", MEDIABIT_BOOTSTRAP_PASSWORD: "ops passphrase" });
    const result = await bootstrap();
    expect(result.login).toBeUndefined();
    expect(result.owner).toEqual({ email: "ops@example.test", isExistingUser: false });
    const owners = await ownersOfFirstOrg();
    expect(owners.map((m) => [m.user.email, m.role])).toEqual([["ops@example.test", "owner"]]);
    expect(await verifyCredentials("ops@example.test", "ops passphrase")).not.toBeNull();
    expect(owners[0]?.user.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("gives an ownerless bootstrap organisation (left by earlier versions) an owner", async () => {
    const prisma = await db();
    const orgId = newId("org");
    await prisma.organization.create({ data: { id: orgId, name: "Mediabit" } });
    await prisma.project.create({ data: { id: newId("prj"), orgId, name: "Default", alias: "default" } });
    withSettings({ MEDIABIT_BOOTSTRAP_EMAIL: "owner@example.test", MEDIABIT_BOOTSTRAP_PASSWORD: "owner passphrase" });
    await bootstrap();
    expect((await ownersOfFirstOrg()).map((m) => m.user.email)).toEqual(["owner@example.test"]);
  });

  it("refuses an e-mail without a password", async () => {
    withSettings({ MEDIABIT_BOOTSTRAP_EMAIL: "half@example.test" });
    await expect(bootstrap()).rejects.toThrow(/MEDIABIT_BOOTSTRAP_PASSWORD/);
  });
});
