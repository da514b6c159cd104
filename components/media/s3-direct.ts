// The dashboard uploader's path straight to the bucket, for when the server says direct uploads are on
// (directUploadsEnabled()): `configureS3Direct(uppy, { projectId, folder })` installs @uppy/aws-s3 with every S3
// request signed by our server actions, records each file as an upload first and has it checked and published after.
import AwsS3 from "@uppy/aws-s3";
import { UserFacingApiError, type Body, type Meta, type Uppy, type UppyFile } from "@uppy/core";
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
  /** Folder of the files this uploader adds (sanitised by the server); a file's own `meta.folder` wins. */
  folder?: string;
  /** Called once a file is stored and ready, with where it lives. */
  onPublished?: (file: UppyFile<M, B>, published: PublishedS3Upload) => void;
  calls?: S3DirectCalls;
};

const SERVER_ACTIONS: S3DirectCalls = { create: createS3UploadAction, sign: signS3RequestAction, complete: completeS3UploadAction };

/** Our upload of a file, kept in its meta so golden retriever restores it with the file and a reload resumes it. */
type DirectUploadRef = { uploadId: string; key: string };
const META = "directUpload";

/** An action's refusal as the error Uppy shows next to the file: the server's sentence, meant for people. */
async function succeeded<T extends object>(result: Promise<({ ok: true } & T) | { ok: false; error: string }>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new UserFacingApiError(settled.error);
  return settled;
}

/** Installs the direct upload path on `uppy`; the function it returns removes it again. */
export function configureS3Direct<M extends Meta, B extends Body>(uppy: Uppy<M, B>, options: S3DirectOptions<M, B>): () => void {
  const { projectId } = options;
  const calls = options.calls ?? SERVER_ACTIONS;
  const refOf = (file: { meta: Meta } | undefined) => file?.meta[META] as DirectUploadRef | undefined;
  // setFileMeta merges into the file's meta; M says nothing of this one key, hence the cast.
  const remember = (id: string, ref: DirectUploadRef | undefined) => uppy.setFileMeta(id, { [META]: ref } as unknown as M);

  const createUploads = async (fileIDs: string[]) => {
    await Promise.all(
      fileIDs.map(async (id) => {
        const file = uppy.getFile(id);
        // Kept across a retry, so a failed part resumes the same multipart upload.
        if (!file || refOf(file)) return;
        const folder = typeof file.meta.folder === "string" && file.meta.folder ? file.meta.folder : options.folder;
        try {
          const { uploadId, key } = await succeeded(calls.create({ projectId, filename: file.name ?? "file", size: file.size ?? 0, folder }));
          remember(id, { uploadId, key });
        } catch (error) {
          // Only this file fails (marked, then skipped by the uploader); the others go on.
          uppy.emit("upload-error", file, error as Error);
        }
      }),
    );
  };

  const publishUploads = async (fileIDs: string[]) => {
    await Promise.all(
      fileIDs.map(async (id) => {
        const file = uppy.getFile(id);
        const ref = refOf(file);
        if (!file || !ref || file.error || !file.progress.uploadComplete) return;
        uppy.emit("postprocess-progress", file, { mode: "indeterminate", message: "Checking the file…" });
        try {
          const published = await succeeded(calls.complete({ projectId, uploadId: ref.uploadId }));
          options.onPublished?.(file, { fileId: published.fileId, mediaId: published.mediaId, path: published.path });
          uppy.emit("postprocess-complete", file);
        } catch (error) {
          uppy.emit("upload-error", file, error as Error);
        } finally {
          // Published or refused, this upload is over: a retry starts a new one.
          remember(id, undefined);
        }
      }),
    );
  };

  uppy.use(AwsS3, {
    // Always in parts, also below 100 MB: the server signs only multipart requests of each upload's own object.
    shouldUseMultipart: true,
    generateObjectKey: (file) => refOf(file)?.key ?? "",
    signRequest: async (request) => {
      const ref = uppy
        .getFiles()
        .map(refOf)
        .find((candidate) => candidate?.key === request.key);
      if (!ref) throw new UserFacingApiError("This file was not registered for upload; remove it and add it again.");
      const { url, key } = await succeeded(calls.sign({ projectId, uploadId: ref.uploadId, request }));
      return key ? { url, key } : { url };
    },
  });
  uppy.addPreProcessor(createUploads);
  uppy.addPostProcessor(publishUploads);

  return () => {
    uppy.removePreProcessor(createUploads);
    uppy.removePostProcessor(publishUploads);
    const plugin = uppy.getPlugin("AwsS3");
    if (plugin) uppy.removePlugin(plugin);
  };
}
