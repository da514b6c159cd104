"use server";
// Direct uploads to the bucket from the dashboard's uploader (components/media/s3-direct.ts): the signed-in person
// records an upload, has each multipart request of it signed, then asks for it to be checked and published.
import { z } from "zod";
import { projectAction, type ProjectActionContext } from "@/lib/dashboard/action";
import {
  completeDirectUpload,
  createDirectUpload,
  signDirectRequest,
  ZCompleteDirectUpload,
  ZCreateDirectUpload,
  ZSignDirectRequest,
  type DirectUploadScope,
} from "@/lib/uploads/s3-direct";

const ZProjectId = z.strictObject({ projectId: z.string().min(1).max(100) });

function uploaderScope({ user, scope }: ProjectActionContext): DirectUploadScope {
  return { ...scope, userId: user.id };
}

export const createS3UploadAction = projectAction(
  ZCreateDirectUpload.extend(ZProjectId.shape),
  async (ctx, { projectId: _projectId, ...input }): Promise<{ ok: true; uploadId: string; key: string }> => {
    const { uploadId, key } = await createDirectUpload(uploaderScope(ctx), input);
    return { ok: true, uploadId, key };
  },
);

export const signS3RequestAction = projectAction(
  ZSignDirectRequest.extend(ZProjectId.shape),
  async (ctx, { projectId: _projectId, ...input }): Promise<{ ok: true; url: string; key?: string }> => {
    return { ok: true, ...(await signDirectRequest(uploaderScope(ctx), input)) };
  },
);

export const completeS3UploadAction = projectAction(
  ZCompleteDirectUpload.extend(ZProjectId.shape),
  async (ctx, { projectId: _projectId, ...input }): Promise<{ ok: true; fileId: string; mediaId: string; path: string; created: boolean }> => {
    const { file, created } = await completeDirectUpload(uploaderScope(ctx), input);
    return { ok: true, fileId: file.id, mediaId: file.mediaId, path: file.path, created };
  },
);
