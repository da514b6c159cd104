// Roles are enforced by the lib/teams services themselves (the UI only hides controls): owners manage people
// and the organisation, members do not, and an organisation always keeps an owner.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { changeMemberRole, getOrganization, leaveOrganization, listMembers, listUserOrgs, removeMember, renameOrganization } from "@/lib/teams/members";
import { makeTeam, makeUser, roleOf } from "./helpers";

describe("listMembers", () => {
  it("lists owners first with their addresses, for members too", async () => {
    const team = await makeTeam(["member", "owner"]);
    const [member, secondOwner] = team.members;
    const list = await listMembers(team.as(member!.id));
    expect(list.map((m) => [m.email, m.role])).toEqual([
      [team.owner.email, "owner"],
      [secondOwner!.email, "owner"],
      [member!.email, "member"],
    ]);
  });

  it("answers not_found to someone outside the organisation", async () => {
    const team = await makeTeam();
    const stranger = await makeUser("stranger");
    await expect(listMembers(team.as(stranger.id))).rejects.toMatchObject({ code: "not_found", status: 404 });
    await expect(getOrganization(team.as(stranger.id))).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("changeMemberRole", () => {
  it("lets an owner promote a member and demote another owner", async () => {
    const team = await makeTeam(["member"]);
    const [member] = team.members;
    await changeMemberRole(team.as(team.owner.id), { userId: member!.id, role: "owner" });
    expect(await roleOf(team.orgId, member!.id)).toBe("owner");
    await changeMemberRole(team.as(member!.id), { userId: team.owner.id, role: "member" });
    expect(await roleOf(team.orgId, team.owner.id)).toBe("member");
  });

  it("refuses a member with owner_required, changing nothing", async () => {
    const team = await makeTeam(["member", "member"]);
    const [member, other] = team.members;
    await expect(changeMemberRole(team.as(member!.id), { userId: other!.id, role: "owner" })).rejects.toMatchObject({ code: "owner_required", status: 403 });
    await expect(changeMemberRole(team.as(member!.id), { userId: member!.id, role: "owner" })).rejects.toMatchObject({ code: "owner_required" });
    expect(await roleOf(team.orgId, other!.id)).toBe("member");
    expect(await roleOf(team.orgId, member!.id)).toBe("member");
  });

  it("never demotes the last owner, and says why", async () => {
    const team = await makeTeam(["member"]);
    await expect(changeMemberRole(team.as(team.owner.id), { userId: team.owner.id, role: "member" })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("last owner"),
    });
    expect(await roleOf(team.orgId, team.owner.id)).toBe("owner");
  });

  it("keeps one owner when two owners demote each other at the same time", async () => {
    const team = await makeTeam(["owner"]);
    const [second] = team.members;
    const results = await Promise.allSettled([
      changeMemberRole(team.as(team.owner.id), { userId: second!.id, role: "member" }),
      changeMemberRole(team.as(second!.id), { userId: team.owner.id, role: "member" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const roles = [await roleOf(team.orgId, team.owner.id), await roleOf(team.orgId, second!.id)];
    expect(roles.sort()).toEqual(["member", "owner"]);
  });
});

describe("removeMember", () => {
  it("lets an owner remove a member, whose organisations no longer include it", async () => {
    const team = await makeTeam(["member"]);
    const [member] = team.members;
    expect((await listUserOrgs(member!.id)).map((o) => o.id)).toEqual([team.orgId]);
    await removeMember(team.as(team.owner.id), { userId: member!.id });
    expect(await roleOf(team.orgId, member!.id)).toBeNull();
    expect(await listUserOrgs(member!.id)).toEqual([]);
  });

  it("refuses a member removing someone", async () => {
    const team = await makeTeam(["member"]);
    const [member] = team.members;
    await expect(removeMember(team.as(member!.id), { userId: team.owner.id })).rejects.toMatchObject({ code: "owner_required", status: 403 });
    expect(await roleOf(team.orgId, team.owner.id)).toBe("owner");
  });

  it("lets an owner remove another owner while one remains", async () => {
    const team = await makeTeam(["owner"]);
    const [second] = team.members;
    await removeMember(team.as(second!.id), { userId: team.owner.id });
    expect(await roleOf(team.orgId, team.owner.id)).toBeNull();
    expect(await roleOf(team.orgId, second!.id)).toBe("owner");
  });

  it("answers not_found for someone who is not a member", async () => {
    const team = await makeTeam();
    const stranger = await makeUser("stranger");
    await expect(removeMember(team.as(team.owner.id), { userId: stranger.id })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("leaveOrganization", () => {
  it("lets a member leave, and an owner once another owner exists", async () => {
    const team = await makeTeam(["member", "owner"]);
    const [member, second] = team.members;
    await leaveOrganization(team.as(member!.id));
    expect(await roleOf(team.orgId, member!.id)).toBeNull();
    await removeMember(team.as(team.owner.id), { userId: team.owner.id });
    expect(await roleOf(team.orgId, team.owner.id)).toBeNull();
    expect(await roleOf(team.orgId, second!.id)).toBe("owner");
  });

  it("refuses the last owner, even as the only member", async () => {
    const team = await makeTeam(["member"]);
    await expect(leaveOrganization(team.as(team.owner.id))).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("last owner") });
    const alone = await makeTeam();
    await expect(leaveOrganization(alone.as(alone.owner.id))).rejects.toMatchObject({ code: "conflict" });
    expect(await roleOf(alone.orgId, alone.owner.id)).toBe("owner");
  });
});

describe("renameOrganization", () => {
  it("lets an owner rename it, and refuses a member", async () => {
    const team = await makeTeam(["member"]);
    const [member] = team.members;
    await expect(renameOrganization(team.as(member!.id), { name: "Hijacked" })).rejects.toMatchObject({ code: "owner_required", status: 403 });
    const renamed = await renameOrganization(team.as(team.owner.id), { name: "Acme Media" });
    expect(renamed.name).toBe("Acme Media");
    const prisma = await db();
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: team.orgId } })).name).toBe("Acme Media");
    expect((await getOrganization(team.as(member!.id))).name).toBe("Acme Media");
  });
});
