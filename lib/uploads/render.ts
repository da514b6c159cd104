// An upload in the API's shape (spec/uploads.md §1). `url` holds the capability token, so only the creating call shows it.
import { renderTimes } from "@/lib/api/render";
import type { Profile } from "@/lib/api/version";
import type { Upload } from "@/lib/db/generated/client";
import { effectiveStatus } from "@/lib/uploads/uploads";

export function renderUpload(profile: Profile, upload: Upload, options: { url?: string } = {}): Record<string, unknown> {
  return {
    id: upload.id,
    object: "upload",
    url: options.url ?? null,
    url_expires_at: upload.urlExpiresAt.toISOString(),
    status: effectiveStatus(upload),
    bytes_received: Number(upload.bytesReceived),
    filename: upload.filename,
    folder: upload.folder,
    metadata: upload.metadata,
    expires: upload.mediaExpiresIn,
    workflow_id: upload.workflowId,
    file_id: upload.fileId,
    media_id: upload.mediaId,
    error: upload.error,
    ...renderTimes(profile, "b", { created: upload.createdAt, updated: upload.updatedAt }),
  };
}
