"use server";
// The media page's uploads: each file gets its own single-use upload URL (kind `session`) made for the signed-in
// person's project, so the browser holds a capability URL and its session cookie, never an API key.
import { z } from "zod";
import { projectAction } from "@/lib/dashboard/action";
import { publicOrigin } from "@/lib/dashboard/origin";
import { listMediaLibrary, type MediaItemView } from "@/lib/dashboard/queries";
import { createUploadUrl } from "@/lib/uploads/uploads";

// A queued file may wait behind others before its first byte: the longest lifetime an upload URL may have.
const SESSION_URL_TIMEOUT_S = 3600;

const ZProject = z.strictObject({ projectId: z.string().min(1).max(100) });
const ZCreateSessionUpload = ZProject.extend({
  filename: z.string().trim().min(1, "the file needs a name").max(255),
  folder: z.string().trim().max(512).optional(),
});

export const createSessionUploadAction = projectAction(
  ZCreateSessionUpload,
  async ({ user, scope }, input): Promise<{ ok: true; uploadId: string; url: string; expiresAt: string }> => {
    const { upload, url } = await createUploadUrl(
      scope,
      { filename: input.filename, folder: input.folder || undefined, timeout: SESSION_URL_TIMEOUT_S },
      { kind: "session", createdBy: user.id, origin: await publicOrigin() },
    );
    return { ok: true, uploadId: upload.id, url, expiresAt: upload.urlExpiresAt.toISOString() };
  },
);

/** The media page's list, refetched while items process and after each upload. */
export const listMediaAction = projectAction(ZProject, async ({ scope }): Promise<{ ok: true; items: MediaItemView[]; total: number }> => {
  const { items, total } = await listMediaLibrary(scope, await publicOrigin());
  return { ok: true, items, total };
});
