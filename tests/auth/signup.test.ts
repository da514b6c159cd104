// Who may create an account (MEDIABIT_SIGNUP), and that sign-up never joins an existing organisation
// except through an invitation.
import { afterEach, describe, expect, it } from "vitest";
import { registerAccount } from "@/lib/auth/credentials";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { signUp, ZSignUp } from "@/lib/users/users";
import { makeInvitation, makeOwner, uniqueAddress, uniqueEmail, withSettings } from "./helpers";

afterEach(() => withSettings({ MEDIABIT_SIGNUP: undefined }));

async function membershipsOf(userId: string) {
  const prisma = await db();
  return prisma.membership.findMany({ where: { userId }, include: { org: { include: { projects: true } } } });
}

async function userExists(email: string): Promise<boolean> {
  const prisma = await db();
  return (await prisma.user.count({ where: { email } })) > 0;
}

describe("sign-up policy", () => {
  it("is by invitation by default: without one it is refused with signup_closed and makes no user", async () => {
    withSettings({ MEDIABIT_SIGNUP: undefined });
    const email = uniqueEmail("uninvited");
    await expect(registerAccount({ email, password: "long enough pw", address: uniqueAddress() })).rejects.toMatchObject({
      code: "signup_closed",
      status: 403,
      message: expect.stringContaining("by invitation"),
    });
    expect(await userExists(email)).toBe(false);
  });

  it("invite: a valid invitation makes the account a member of the inviting organisation, and nothing else", async () => {
    withSettings({ MEDIABIT_SIGNUP: "invite" });
    const { orgId, project } = await makeOwner();
    const email = uniqueEmail("invited");
    const token = await makeInvitation(orgId, email, { role: "member" });
    const user = await registerAccount({ email, password: "long enough pw", invitation: token, address: uniqueAddress() });
    const memberships = await membershipsOf(user.id);
    expect(memberships).toHaveLength(1);
    expect(memberships[0]).toMatchObject({ orgId, role: "member" });
    expect(memberships[0]?.org.projects.map((p) => p.id)).toEqual([project.id]);
    // Single use: a second sign-up with the same link fails.
    await expect(registerAccount({ email: uniqueEmail("second"), password: "long enough pw", invitation: token, address: uniqueAddress() })).rejects.toMatchObject({
      code: "invitation_invalid",
    });
  });

  it("invite: an invitation for another address is refused and leaves no half-made user", async () => {
    withSettings({ MEDIABIT_SIGNUP: "invite" });
    const { orgId } = await makeOwner();
    const token = await makeInvitation(orgId, uniqueEmail("intended"));
    const intruder = uniqueEmail("intruder");
    await expect(registerAccount({ email: intruder, password: "long enough pw", invitation: token, address: uniqueAddress() })).rejects.toMatchObject({
      code: "invitation_invalid",
      status: 410,
    });
    expect(await userExists(intruder)).toBe(false);
  });

  it("invite: an expired invitation is refused", async () => {
    withSettings({ MEDIABIT_SIGNUP: "invite" });
    const { orgId } = await makeOwner();
    const email = uniqueEmail("late");
    const token = await makeInvitation(orgId, email, { expiresAt: new Date(Date.now() - 1000) });
    await expect(registerAccount({ email, password: "long enough pw", invitation: token, address: uniqueAddress() })).rejects.toMatchObject({ code: "invitation_invalid" });
    expect(await userExists(email)).toBe(false);
  });

  it("closed: refused even with a valid invitation", async () => {
    withSettings({ MEDIABIT_SIGNUP: "closed" });
    const { orgId } = await makeOwner();
    const email = uniqueEmail("closed");
    const token = await makeInvitation(orgId, email);
    await expect(registerAccount({ email, password: "long enough pw", invitation: token, address: uniqueAddress() })).rejects.toMatchObject({
      code: "signup_closed",
      message: expect.stringContaining("closed"),
    });
    await expect(signUp({ email, password: "long enough pw", invitation: token })).rejects.toMatchObject({ code: "signup_closed" });
    expect(await userExists(email)).toBe(false);
  });

  it("open: a new account owns a new organisation with a Default project, never an ownerless existing one", async () => {
    withSettings({ MEDIABIT_SIGNUP: "open" });
    const prisma = await db();
    // An organisation without members, as earlier versions left the bootstrap one when MEDIABIT_BOOTSTRAP_KEY was set.
    const unownedId = newId("org");
    await prisma.organization.create({ data: { id: unownedId, name: "Unowned", createdAt: new Date(0) } });
    await prisma.project.create({ data: { id: newId("prj"), orgId: unownedId, name: "Default", alias: `u-${unownedId.slice(4, 14).toLowerCase()}` } });

    const user = await registerAccount({ name: "Olga", email: uniqueEmail("open"), password: "long enough pw", address: uniqueAddress() });
    const memberships = await membershipsOf(user.id);
    expect(memberships).toHaveLength(1);
    expect(memberships[0]?.orgId).not.toBe(unownedId);
    expect(memberships[0]).toMatchObject({ role: "owner", org: { name: "Olga's organisation" } });
    expect(memberships[0]?.org.projects.map((p) => p.name)).toEqual(["Default"]);
    expect(await prisma.membership.count({ where: { orgId: unownedId } })).toBe(0);
  });

  it("open: an invitation joins the inviting organisation instead of making a new one", async () => {
    withSettings({ MEDIABIT_SIGNUP: "open" });
    const { orgId } = await makeOwner();
    const email = uniqueEmail("open-invited");
    const token = await makeInvitation(orgId, email, { role: "owner" });
    const user = await registerAccount({ email, password: "long enough pw", invitation: token, address: uniqueAddress() });
    const memberships = await membershipsOf(user.id);
    expect(memberships.map((m) => [m.orgId, m.role])).toEqual([[orgId, "owner"]]);
  });

  it("a taken e-mail is a conflict", async () => {
    withSettings({ MEDIABIT_SIGNUP: "open" });
    const { email } = await makeOwner();
    await expect(registerAccount({ email, password: "long enough pw", address: uniqueAddress() })).rejects.toMatchObject({ code: "conflict" });
  });

  it("reads a pasted address with spaces and capitals as the plain lower-case address", () => {
    const parsed = ZSignUp.parse({ email: "  Ana@Example.COM ", password: "long enough pw" });
    expect(parsed.email).toBe("ana@example.com");
    expect(ZSignUp.safeParse({ email: " not-an-address ", password: "long enough pw" }).success).toBe(false);
  });
});
