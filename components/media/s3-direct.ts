// The dashboard uploader's path straight to the bucket, for when the server says direct uploads are on
// (directUploadsEnabled()): `configureS3Direct(uppy, { projectId, folder })` installs @uppy/aws-s3 with every S3
// request signed by our server actions, records each file as an upload first and has it checked and published after.
import AwsS3 from "@uppy/aws-s3";
import type { Body, Meta, Uppy, UppyFile } from "@uppy/core";
import { completeS3UploadAction, createS3UploadAction, signS3RequestAction } from "@/lib/dashboard/actions/s3-uploads";

/** The server calls the uploader makes; the dashboard's server actions unless a caller (a test) brings its own. */
export type S3DirectCalls = {
  create: typeof createS3UploadAction;
  sign: typeof signS3RequestAction;
  complete: typeof completeS3UploadAction;
};

export type PublishedS3Upload = { fileId: string; mediaId: string; path: string };

export type S3DirectOptions<M extends Meta, B extends Body> = {
  projectId: string;
  /** Folder of the files this uploader adds (sanitised by the server). */
  folder?: string;
  /** Called once a file is stored and ready, with where it lives. */
  onPublished?: (file: UppyFile<M, B>, published: PublishedS3Upload) => void;
  calls?: S3DirectCalls;
};

const SERVER_ACTIONS: S3DirectCalls = { create: createS3UploadAction, sign: signS3RequestAction, complete: completeS3UploadAction };

/** An action's refusal as the Error Uppy shows next to the file. */
async function succeeded<T extends object>(result: Promise<({ ok: true } & T) | { ok: false; error: string }>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(settled.error);
  return settled;
}

/** Installs the direct upload path on `uppy`; the function it returns removes it again. */
export function configureS3Direct<M extends Meta, B extends Body>(uppy: Uppy<M, B>, options: S3DirectOptions<M, B>): () => void {
  const { projectId, folder } = options;
  const calls = options.calls ?? SERVER_ACTIONS;
  // Uppy file id → our upload; kept across a retry so a failed part resumes the same multipart upload.
  const uploads = new Map<string, { uploadId: string; key: string }>();
  const byKey = (key: string) => [...uploads.values()].find((upload) => upload.key === key);

  const createUploads = async (fileIDs: string[]) => {
    await Promise.all(
      fileIDs.map(async (id) => {
        const file = uppy.getFile(id);
        if (!file || uploads.has(id)) return;
        try {
          const created = await succeeded(calls.create({ projectId, filename: file.name ?? "file", size: file.size ?? 0, folder }));
          uploads.set(id, { uploadId: created.uploadId, key: created.key });
        } catch (error) {
          // The file is marked failed and skipped; the others go on.
          uppy.emit("upload-error", file, error as Error);
        }
      }),
    );
  };

  const publishUploads = async (fileIDs: string[]) => {
    await Promise.all(
      fileIDs.map(async (id) => {
        const file = uppy.getFile(id);
        const upload = uploads.get(id);
        if (!file || !upload || file.error || !file.progress.uploadComplete) return;
        uppy.emit("postprocess-progress", file, { mode: "indeterminate", message: "Checking the file…" });
        try {
          const published = await succeeded(calls.complete({ projectId, uploadId: upload.uploadId }));
          options.onPublished?.(file, { fileId: published.fileId, mediaId: published.mediaId, path: published.path });
          uppy.emit("postprocess-complete", file);
        } catch (error) {
          uppy.emit("upload-error", file, error as Error);
        } finally {
          // Published or refused, this upload is over: a retry starts a new one.
          uploads.delete(id);
        }
      }),
    );
  };

  const forget = (file: UppyFile<M, B> | undefined) => {
    if (file) uploads.delete(file.id);
  };

  uppy.use(AwsS3, {
    // Always in parts, also below 100 MB: the server signs only multipart requests of each upload's own object.
    shouldUseMultipart: true,
    generateObjectKey: (file) => uploads.get(file.id)?.key ?? "",
    signRequest: async (request) => {
      const upload = byKey(request.key);
      if (!upload) throw new Error("This file was not registered for upload; add it again.");
      const { url, key } = await succeeded(calls.sign({ projectId, uploadId: upload.uploadId, request }));
      return key ? { url, key } : { url };
    },
  });
  uppy.addPreProcessor(createUploads);
  uppy.addPostProcessor(publishUploads);
  uppy.on("file-removed", forget);

  return () => {
    uppy.off("file-removed", forget);
    uppy.removePreProcessor(createUploads);
    uppy.removePostProcessor(publishUploads);
    const plugin = uppy.getPlugin("AwsS3");
    if (plugin) uppy.removePlugin(plugin);
    uploads.clear();
  };
}
