// Project names are unique per organisation (ignoring case), through the API and the dashboard's services alike.
import { describe, expect, it } from "vitest";
import { createProjectAsMember, renameProject } from "@/lib/projects/manage";
import { call, createTestProject } from "@/tests/helpers/api";
import { makeProject, makeTeam } from "@/tests/teams/helpers";

describe("project names per organisation", () => {
  it("POST /api/projects answers 409 on the name field for a name the organisation already uses", async () => {
    const p = await createTestProject("latest");
    const first = await call("POST", "/api/projects", { key: p.adminKey, body: { name: "Staging" } });
    expect(first.status).toBe(201);
    const again = await call("POST", "/api/projects", { key: p.adminKey, body: { name: "staging" } });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain("already exists in this organisation");
    // Another organisation may use the name.
    const other = await createTestProject("latest");
    expect((await call("POST", "/api/projects", { key: other.adminKey, body: { name: "Staging" } })).status).toBe(201);
  });

  it("PATCH /api/projects/{id} refuses another project's name and accepts the project's own", async () => {
    const p = await createTestProject("latest");
    const created = await call("POST", "/api/projects", { key: p.adminKey, body: { name: "Second" } });
    const id = created.body.data?.id ?? created.body.id;
    expect((await call("PATCH", `/api/projects/${id}`, { key: p.adminKey, body: { name: "TEST" } })).status).toBe(409);
    const same = await call("PATCH", `/api/projects/${id}`, { key: p.adminKey, body: { name: "second" } });
    expect(same.status).toBe(200);
  });

  it("the dashboard's create and rename name the field", async () => {
    const team = await makeTeam();
    await expect(createProjectAsMember(team.as(team.owner.id), { name: "default" })).rejects.toMatchObject({
      code: "conflict",
      details: [{ field: "name", message: expect.stringContaining("another project") }],
    });
    const second = await makeProject(team.orgId, "Second");
    await expect(renameProject({ userId: team.owner.id, projectId: second.id }, { name: "Default" })).rejects.toMatchObject({ code: "conflict" });
    expect((await renameProject({ userId: team.owner.id, projectId: second.id }, { name: "Third" })).name).toBe("Third");
  });

  it("two concurrent creates of one name leave one project", async () => {
    const team = await makeTeam();
    const results = await Promise.allSettled([
      createProjectAsMember(team.as(team.owner.id), { name: "Race" }),
      createProjectAsMember(team.as(team.owner.id), { name: "Race" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});
