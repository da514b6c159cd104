// Dashboard project rules: members rename and create, only owners delete (with the name typed back), deleting
// takes the project's rows and stored bytes; and one rule decides which project a request shows.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { countProjectContents, createProjectAsMember, deleteProjectAsOwner, renameProject } from "@/lib/projects/manage";
import { objectKey } from "@/lib/storage/object-key";
import { getStore } from "@/lib/storage/store";
import { pickProject } from "@/lib/teams/current-org";
import { listUserOrgs } from "@/lib/teams/members";
import { makeProject, makeTeam, makeUser } from "./helpers";

async function fillProject(projectId: string) {
  const prisma = await db();
  const mediaId = newId("med");
  await prisma.media.create({ data: { id: mediaId, projectId } });
  await prisma.media.create({ data: { id: newId("med"), projectId, deletedAt: new Date() } });
  const fileId = newId("file");
  await prisma.file.create({ data: { id: fileId, projectId, mediaId, filename: "hello.txt", path: `t/${fileId}/hello.txt`, filesize: 5 } });
  await prisma.apiKey.create({ data: { id: newId("key"), projectId, name: "ci", prefix: "ittybit_live_ab", hash: newId("key") } });
  await prisma.apiKey.create({ data: { id: newId("key"), projectId, name: "old", prefix: "ittybit_live_cd", hash: newId("key"), status: "revoked" } });
  await prisma.connection.create({
    data: { id: newId("con"), projectId, name: "s3", endpoint: "http://127.0.0.1:9", accessKeyId: "a", secretEncrypted: "x", secretLast4: "1234" },
  });
  const key = objectKey({ projectId, fileId, name: "hello.txt" });
  await getStore().put(key, Readable.from([Buffer.from("hello")]), { contentType: "text/plain", size: 5 });
  return { key };
}

describe("renameProject", () => {
  it("lets any member rename, and answers a non-member project_not_found", async () => {
    const team = await makeTeam(["member"]);
    const renamed = await renameProject({ userId: team.members[0]!.id, projectId: team.project.id }, { name: "Marketing site" });
    expect(renamed.name).toBe("Marketing site");
    expect(renamed.alias).toBe(team.project.alias);
    const stranger = await makeUser("stranger");
    await expect(renameProject({ userId: stranger.id, projectId: team.project.id }, { name: "Mine now" })).rejects.toMatchObject({ code: "project_not_found", status: 404 });
  });
});

describe("deleteProjectAsOwner", () => {
  it("counts what goes with the project, then deletes its rows and stored bytes", async () => {
    const team = await makeTeam();
    const { key } = await fillProject(team.project.id);
    const scope = { userId: team.owner.id, projectId: team.project.id };
    expect(await countProjectContents(scope)).toEqual({ media: 1, files: 1, tasks: 0, apiKeys: 1, connections: 1 });
    expect(await getStore().head(key)).not.toBeNull();

    const { project, remaining } = await deleteProjectAsOwner(scope, { confirmName: "Default" });
    expect(project.id).toBe(team.project.id);
    expect(remaining).toEqual([]);
    const prisma = await db();
    expect(await prisma.project.count({ where: { id: team.project.id } })).toBe(0);
    expect(await prisma.apiKey.count({ where: { projectId: team.project.id } })).toBe(0);
    expect(await prisma.media.count({ where: { projectId: team.project.id } })).toBe(0);
    expect(await getStore().head(key)).toBeNull();
    // The organisation stays, empty: its owner can create the next project there.
    const [org] = await listUserOrgs(team.owner.id);
    expect(org).toMatchObject({ id: team.orgId, projects: [] });
    const next = await createProjectAsMember(team.as(team.owner.id), { name: "Second start" });
    expect(next.orgId).toBe(team.orgId);
  });

  it("refuses a member with owner_required and deletes nothing", async () => {
    const team = await makeTeam(["member"]);
    await expect(deleteProjectAsOwner({ userId: team.members[0]!.id, projectId: team.project.id }, { confirmName: "Default" })).rejects.toMatchObject({
      code: "owner_required",
      status: 403,
    });
    expect(await (await db()).project.count({ where: { id: team.project.id } })).toBe(1);
  });

  it("refuses a wrong name on the confirmation field", async () => {
    const team = await makeTeam();
    await expect(deleteProjectAsOwner({ userId: team.owner.id, projectId: team.project.id }, { confirmName: "default" })).rejects.toMatchObject({
      code: "invalid_input",
      details: [{ field: "confirmName", message: "type Default to confirm" }],
    });
    expect(await (await db()).project.count({ where: { id: team.project.id } })).toBe(1);
  });

  it("returns the organisation's remaining projects, oldest first", async () => {
    const team = await makeTeam();
    const second = await makeProject(team.orgId, "Second");
    const third = await makeProject(team.orgId, "Third");
    const { remaining } = await deleteProjectAsOwner({ userId: team.owner.id, projectId: second.id }, { confirmName: "Second" });
    expect(remaining.map((p) => p.id)).toEqual([team.project.id, third.id]);
  });

  it("answers an owner of another organisation project_not_found", async () => {
    const team = await makeTeam();
    const other = await makeTeam();
    await expect(deleteProjectAsOwner({ userId: other.owner.id, projectId: team.project.id }, { confirmName: "Default" })).rejects.toMatchObject({ status: 404 });
    await expect(countProjectContents({ userId: other.owner.id, projectId: team.project.id })).rejects.toMatchObject({ code: "project_not_found" });
  });
});

describe("createProjectAsMember", () => {
  it("lets a member create a project, and refuses someone outside the organisation", async () => {
    const team = await makeTeam(["member"]);
    const created = await createProjectAsMember(team.as(team.members[0]!.id), { name: "Member's app" });
    expect(created.orgId).toBe(team.orgId);
    const stranger = await makeUser("stranger");
    await expect(createProjectAsMember({ orgId: team.orgId, userId: stranger.id }, { name: "Intruder" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("pickProject", () => {
  const projects = [
    { id: "prj_a1", orgId: "org_a" },
    { id: "prj_a2", orgId: "org_a" },
    { id: "prj_b1", orgId: "org_b" },
  ];

  it("takes the project cookie when it is still theirs", () => {
    expect(pickProject(projects, { projectId: "prj_b1", orgId: "org_a" })?.id).toBe("prj_b1");
  });

  it("falls back to the first project of the chosen organisation, else the first of all", () => {
    expect(pickProject(projects, { projectId: "prj_gone", orgId: "org_b" })?.id).toBe("prj_b1");
    expect(pickProject(projects, { projectId: "prj_gone" })?.id).toBe("prj_a1");
    expect(pickProject(projects, {})?.id).toBe("prj_a1");
  });

  it("shows nothing for a chosen organisation without projects, or when there are none", () => {
    expect(pickProject(projects, { orgId: "org_empty" })).toBeUndefined();
    expect(pickProject([], {})).toBeUndefined();
  });
});
