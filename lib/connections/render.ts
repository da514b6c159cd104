import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import type { Connection } from "@/lib/db/generated/client";

/** Secrets are never returned whole: `****` and their last four characters (a documented deviation). */
export function renderConnection(profile: Profile, connection: Connection): Record<string, unknown> {
  return {
    id: connection.id,
    object: "storage_connection",
    kind: connection.kind,
    name: connection.name,
    endpoint: connection.endpoint,
    region: connection.region,
    bucket: connection.bucket,
    force_path_style: connection.forcePathStyle,
    access_key_id: connection.accessKeyId,
    secret_access_key: `****${connection.secretLast4}`,
    is_default: connection.isDefault,
    verified_at: connection.verifiedAt?.toISOString() ?? null,
    ...renderTimes(profile, "c_iso", { created: connection.createdAt, updated: connection.updatedAt }),
  };
}
