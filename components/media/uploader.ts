// The media page's Uppy: restrictions from the server's settings, golden retriever so a reload resumes, and the
// transport (tus through this server, or S3 direct) chosen in one place: installTransport.
import Uppy, { UserFacingApiError, type UppyFile } from "@uppy/core";
import GoldenRetriever, { type GoldenRetrieverOptions } from "@uppy/golden-retriever";
import { installTransport, type UploadTransport } from "@/components/media/transport";
import { ACCEPTED_TYPES, describeRefusal, describeUploadError, type UploadFailure } from "@/components/media/upload-errors";

// What the browser keeps of files on their way so a reload resumes them; a larger file comes back as "add it again".
const SAVED_BYTES = { maxFileSize: 2 * 1024 ** 3, maxTotalSize: 4 * 1024 ** 3 };

/** `folder` is the page's folder field when the file was added; `linkError` says why no upload URL could be made for it. */
export type MediaMeta = { folder?: string; linkError?: string };
export type MediaUppy = Uppy<MediaMeta, Record<string, never>>;
export type MediaFile = UppyFile<MediaMeta, Record<string, never>>;

// Extensions browsers often give no MIME type for; the server sniffs the bytes either way.
const EXTRA_EXTENSIONS = [".mkv", ".mov", ".avi", ".m4a", ".flac", ".opus", ".heic", ".heif", ".webm", ".wav", ".mp4", ".mp3"];

export type UploaderHandlers = {
  /** A file Uppy would not take (size, type, already listed), in plain words. */
  onRefused: (message: string) => void;
  /** A file reached the server: the media list should show it. */
  onUploaded: () => void;
};

export type UploaderOptions = { projectId: string; maxFileBytes: number; transport: UploadTransport };

type Uploader = { uppy: MediaUppy; handlers: UploaderHandlers };

// One per project for the life of the tab: uploads carry on while the person visits other dashboard pages, and the
// media page finds them again when it comes back. (Destroying Uppy on unmount would cancel, and delete, them.)
const uploaders = new Map<string, Uploader>();

/** The project's uploader; `handlers` replace the previous page's, so messages reach the page that is showing. */
export function uploaderFor(options: UploaderOptions, handlers: UploaderHandlers): MediaUppy {
  const existing = uploaders.get(options.projectId);
  if (existing) {
    existing.handlers = handlers;
    return existing.uppy;
  }
  const uploader: Uploader = { uppy: createUploader(options, () => uploader.handlers), handlers };
  uploaders.set(options.projectId, uploader);
  return uploader.uppy;
}

function createUploader(options: UploaderOptions, current: () => UploaderHandlers): MediaUppy {
  const uppy: MediaUppy = new Uppy<MediaMeta, Record<string, never>>({
    // Golden retriever keys its saved state by this id: one per project, so another project never resumes it.
    id: `media-${options.projectId}`,
    autoProceed: true,
    allowMultipleUploadBatches: true,
    restrictions: { maxFileSize: options.maxFileBytes, allowedFileTypes: [...ACCEPTED_TYPES, ...EXTRA_EXTENSIONS] },
  });
  // Its IndexedDB store keeps at most 10 MiB per file unless told otherwise (the option is passed through untyped).
  uppy.use(GoldenRetriever, { expires: 24 * 3600 * 1000, indexedDB: SAVED_BYTES as GoldenRetrieverOptions["indexedDB"] });
  installTransport(uppy, options.transport, { projectId: options.projectId, onPublished: () => current().onUploaded() });

  uppy.on("restriction-failed", (file, error) => {
    if (!file) return current().onRefused(error.message);
    const isListed = uppy.getFile(file.id) !== undefined;
    current().onRefused(isListed ? `${file.name} is already in the upload list.` : describeRefusal(file, options.maxFileBytes));
  });
  // Registered after Uppy's own handler, so the plain message replaces the raw one it stored on the file.
  uppy.on("upload-error", (file, error, response) => {
    if (!file) return;
    // No response at all (status 0) is a network failure: describeUploadError says so.
    const xhr = (response?.body as { xhr?: XMLHttpRequest } | undefined)?.xhr;
    const failure: UploadFailure =
      plannedFailure(uppy, file.id) ??
      (uppy.getFile(file.id)?.isGhost ? { message: GHOST, needsNewLink: false, canRetry: true } : null) ??
      // The server's own sentence, raised by a transport that asked the server (e.g. S3 direct's actions).
      (error instanceof UserFacingApiError ? { message: error.message, needsNewLink: false, canRetry: true } : null) ??
      describeUploadError({ status: response?.status, body: xhr?.responseText });
    if (failure.canRetry) finalFailures.delete(file.id);
    else finalFailures.add(file.id);
    uppy.setFileState(file.id, { error: failure.message, ...(failure.needsNewLink ? { tus: undefined } : {}) });
  });
  uppy.on("file-removed", (file) => finalFailures.delete(file.id));
  // A reload restores the files and their upload URLs; carry on without asking (the page has no "restore?" dialog).
  uppy.on("restored", () => {
    if (uppy.getState().recoveredState) uppy.emit("restore-confirmed");
  });
  return uppy;
}

// Files the server refused for what they are: retrying would send the same bytes to the same answer.
const finalFailures = new Set<string>();

/** Whether Retry makes sense for this failed file. */
export function canRetry(fileId: string): boolean {
  return !finalFailures.has(fileId);
}

const GHOST = "After the reload the browser no longer had this file's bytes: add the file again to continue its upload.";

/** A failure the transport recorded before the upload could start (e.g. no upload URL), kept on the file's meta. */
function plannedFailure(uppy: MediaUppy, fileId: string): UploadFailure | null {
  const message = uppy.getFile(fileId)?.meta.linkError;
  return typeof message === "string" ? { message, needsNewLink: true, canRetry: true } : null;
}
