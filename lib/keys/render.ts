import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import type { ApiKey } from "@/lib/db/generated/client";

export function renderKey(profile: Profile, key: ApiKey, secret?: string): Record<string, unknown> {
  return {
    id: key.id,
    object: "key",
    name: key.name,
    status: key.status,
    prefix: key.prefix,
    admin: key.admin,
    // Present once, in the response that created the key.
    ...(secret ? { secret } : {}),
    last_used_at: key.lastUsedAt ? renderTimes(profile, "c", { created: key.lastUsedAt, updated: key.lastUsedAt }).created_at : null,
    ...renderTimes(profile, "c", { created: key.createdAt, updated: key.updatedAt }),
  };
}
