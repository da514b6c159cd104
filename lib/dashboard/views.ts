// What dashboard pages hand to client components: plain, serialisable, and never a secret or hash.
import type { ApiKey, Connection } from "@/lib/db/generated/client";
import type { UserProject } from "@/lib/users/users";

export type KeyView = {
  id: string;
  name: string;
  prefix: string;
  status: "active" | "paused" | "revoked";
  admin: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type ConnectionView = {
  id: string;
  name: string;
  endpoint: string;
  region: string;
  bucket: string | null;
  forcePathStyle: boolean;
  accessKeyId: string;
  maskedSecret: string;
  isDefault: boolean;
  verifiedAt: string | null;
  createdAt: string;
};

export type ProjectView = { id: string; name: string; orgId: string; orgName: string; role: "owner" | "member" };

export function toKeyView(key: ApiKey): KeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    status: key.status,
    admin: key.admin,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

export function toConnectionView(connection: Connection): ConnectionView {
  return {
    id: connection.id,
    name: connection.name,
    endpoint: connection.endpoint,
    region: connection.region,
    bucket: connection.bucket,
    forcePathStyle: connection.forcePathStyle,
    accessKeyId: connection.accessKeyId,
    maskedSecret: `****${connection.secretLast4}`,
    isDefault: connection.isDefault,
    verifiedAt: connection.verifiedAt?.toISOString() ?? null,
    createdAt: connection.createdAt.toISOString(),
  };
}

export function toProjectView(project: UserProject): ProjectView {
  return { id: project.id, name: project.name, orgId: project.orgId, orgName: project.orgName, role: project.role };
}

export type { VerifyResult as ConnectionTestResult } from "@/lib/storage/verify";

/** The connection form as typed: strings as entered, blank meaning "not given". */
export type ConnectionFormValues = {
  name: string;
  endpoint: string;
  region: string;
  access_key_id: string;
  secret_access_key: string;
  bucket: string;
  force_path_style: boolean;
  is_default: boolean;
};
