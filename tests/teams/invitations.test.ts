// Invitations: owners only; single-use; 7 days; revocable; only the invited address may accept.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  acceptInvitation,
  createInvitation,
  describeInvitation,
  INVITATION_TTL_MS,
  listPendingInvitations,
  revokeInvitation,
} from "@/lib/teams/invitations";
import { ZInviteMember } from "@/lib/teams/schemas";
import { makeTeam, makeUser, roleOf } from "./helpers";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("createInvitation", () => {
  it("gives an owner a token the database does not store, valid for 7 days", async () => {
    const team = await makeTeam();
    const now = new Date();
    const { invitation, token } = await createInvitation(team.as(team.owner.id), { email: "ana@example.test", role: "member" }, now);
    expect(token).toMatch(/^inv_[0-9A-Za-z]{40}$/);
    expect(invitation.expiresAt.getTime() - now.getTime()).toBe(INVITATION_TTL_MS);
    expect(INVITATION_TTL_MS).toBe(7 * DAY_MS);
    const row = await (await db()).invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(row.invitedBy).toBe(team.owner.id);
    const details = await describeInvitation(token);
    expect(details).toMatchObject({ status: "pending", orgName: expect.stringMatching(/^Team /), email: "ana@example.test", role: "member", inviter: `Olga Owner (${team.owner.email})` });
  });

  it("refuses a member with owner_required and creates nothing", async () => {
    const team = await makeTeam(["member"]);
    await expect(createInvitation(team.as(team.members[0]!.id), { email: "eve@example.test", role: "owner" })).rejects.toMatchObject({ code: "owner_required", status: 403 });
    expect(await (await db()).invitation.count({ where: { orgId: team.orgId } })).toBe(0);
  });

  it("refuses someone who is already a member, on the e-mail field", async () => {
    const team = await makeTeam(["member"]);
    await expect(createInvitation(team.as(team.owner.id), { email: team.members[0]!.email, role: "member" })).rejects.toMatchObject({
      code: "conflict",
      details: [{ field: "email", message: expect.any(String) }],
    });
  });

  it("replaces a pending invitation for the same address: the older link stops working", async () => {
    const team = await makeTeam();
    const first = await createInvitation(team.as(team.owner.id), { email: "bo@example.test", role: "member" });
    const second = await createInvitation(team.as(team.owner.id), { email: "bo@example.test", role: "owner" });
    expect((await describeInvitation(first.token))?.status).toBe("revoked");
    expect((await describeInvitation(second.token))?.status).toBe("pending");
    const pending = await listPendingInvitations(team.as(team.owner.id));
    expect(pending.map((i) => [i.email, i.role])).toEqual([["bo@example.test", "owner"]]);
  });

  it("normalises the address the way sign-up does (trimmed, lower-case) and names bad ones plainly", () => {
    expect(ZInviteMember.parse({ orgId: "org_1", email: "  Ana@Example.TEST ", role: "member" }).email).toBe("ana@example.test");
    const bad = ZInviteMember.safeParse({ orgId: "org_1", email: "not an address", role: "admin" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["email", "enter an e-mail address such as ana@example.com"],
      ["role", "choose owner or member"],
    ]);
  });
});

describe("accepting", () => {
  it("joins the invited address with the invited role, once", async () => {
    const team = await makeTeam();
    const invitee = await makeUser("invitee");
    const { token } = await createInvitation(team.as(team.owner.id), { email: invitee.email, role: "owner" });
    await expect(acceptInvitation({ token, userId: invitee.id })).resolves.toEqual({ orgId: team.orgId });
    expect(await roleOf(team.orgId, invitee.id)).toBe("owner");
    expect((await describeInvitation(token))?.status).toBe("accepted");
    await expect(acceptInvitation({ token, userId: invitee.id })).rejects.toMatchObject({ code: "invitation_invalid", status: 410 });
    expect(await listPendingInvitations(team.as(team.owner.id))).toEqual([]);
  });

  it("refuses anyone but the invited address, and leaves the link usable for them", async () => {
    const team = await makeTeam();
    const invitee = await makeUser("invitee");
    const other = await makeUser("other");
    const { token } = await createInvitation(team.as(team.owner.id), { email: invitee.email, role: "member" });
    await expect(acceptInvitation({ token, userId: other.id })).rejects.toMatchObject({ code: "invitation_invalid", message: expect.stringContaining(invitee.email) });
    expect(await roleOf(team.orgId, other.id)).toBeNull();
    expect((await describeInvitation(token))?.status).toBe("pending");
    await acceptInvitation({ token, userId: invitee.id });
    expect(await roleOf(team.orgId, invitee.id)).toBe("member");
  });

  it("lets exactly one of two simultaneous accepts through", async () => {
    const team = await makeTeam();
    const invitee = await makeUser("invitee");
    const { token } = await createInvitation(team.as(team.owner.id), { email: invitee.email, role: "member" });
    const results = await Promise.allSettled([acceptInvitation({ token, userId: invitee.id }), acceptInvitation({ token, userId: invitee.id })]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  it("refuses an expired invitation and says it expired", async () => {
    const team = await makeTeam();
    const invitee = await makeUser("invitee");
    const eightDaysAgo = new Date(Date.now() - 8 * DAY_MS);
    const { token } = await createInvitation(team.as(team.owner.id), { email: invitee.email, role: "member" }, eightDaysAgo);
    expect((await describeInvitation(token))?.status).toBe("expired");
    await expect(acceptInvitation({ token, userId: invitee.id })).rejects.toMatchObject({ code: "invitation_invalid" });
    expect(await roleOf(team.orgId, invitee.id)).toBeNull();
    expect(await listPendingInvitations(team.as(team.owner.id))).toEqual([]);
  });

  it("knows nothing about a token it never made", async () => {
    expect(await describeInvitation("inv_" + "x".repeat(40))).toBeNull();
    expect(await describeInvitation("../../etc/passwd")).toBeNull();
  });
});

describe("revokeInvitation", () => {
  it("lets an owner revoke: the link then fails and says it was withdrawn", async () => {
    const team = await makeTeam();
    const invitee = await makeUser("invitee");
    const { invitation, token } = await createInvitation(team.as(team.owner.id), { email: invitee.email, role: "member" });
    await revokeInvitation(team.as(team.owner.id), invitation.id);
    expect((await describeInvitation(token))?.status).toBe("revoked");
    await expect(acceptInvitation({ token, userId: invitee.id })).rejects.toMatchObject({ code: "invitation_invalid" });
    await expect(revokeInvitation(team.as(team.owner.id), invitation.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses members, and owners of another organisation", async () => {
    const team = await makeTeam(["member"]);
    const elsewhere = await makeTeam();
    const { invitation, token } = await createInvitation(team.as(team.owner.id), { email: "cy@example.test", role: "member" });
    await expect(revokeInvitation(team.as(team.members[0]!.id), invitation.id)).rejects.toMatchObject({ code: "owner_required" });
    await expect(listPendingInvitations(team.as(team.members[0]!.id))).rejects.toMatchObject({ code: "owner_required" });
    await expect(revokeInvitation(elsewhere.as(elsewhere.owner.id), invitation.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeInvitation({ orgId: team.orgId, userId: elsewhere.owner.id }, invitation.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await describeInvitation(token))?.status).toBe("pending");
  });
});
