// Usage → the API object (the same fields in every profile; the envelope is the profile's).
import type { Usage } from "./analytics";

export function renderUsage(usage: Usage): Record<string, unknown> {
  return {
    object: "analytics",
    project_id: usage.projectId,
    ...(usage.mediaId ? { media_id: usage.mediaId } : {}),
    from: usage.from.toISOString(),
    to: usage.to.toISOString(),
    interval: usage.interval,
    storage_bytes: usage.storageBytes,
    delivery_bytes: usage.deliveryBytes,
    requests: usage.requests,
    task_seconds: usage.taskSeconds,
    tasks: usage.tasks,
    series: usage.series.map((point) => ({ t: point.t.toISOString(), delivery_bytes: point.deliveryBytes, requests: point.requests })),
  };
}
