import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import type { Project } from "@/lib/db/generated/client";

export function renderProject(profile: Profile, project: Project): Record<string, unknown> {
  return {
    id: project.id,
    object: "project",
    org_id: project.orgId,
    name: project.name,
    description: project.description,
    alias: project.alias,
    api_version: project.apiVersion,
    delivery_access: project.deliveryAccess,
    status: "active",
    ...renderTimes(profile, "b", { created: project.createdAt, updated: project.updatedAt }),
  };
}
