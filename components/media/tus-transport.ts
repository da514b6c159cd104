// tus through this server: just before a file starts, a dashboard action makes its own single-use upload URL
// (kind `session`), which becomes that file's tus endpoint. The browser holds that URL and its session cookie only.
import Tus from "@uppy/tus";
import type { MediaUppy } from "@/components/media/uploader";
import { createSessionUploadAction } from "@/lib/dashboard/actions/uploads";

// Parts small enough that a dropped connection re-sends little, large enough to keep requests few.
const CHUNK_BYTES = 8 * 1024 * 1024;
// tus-js-client retries a failed request after each delay, then gives up; Uppy also waits for `online` when offline.
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000, 20_000];
const PARALLEL_FILES = 3;
const UNREACHABLE = "Could not reach the server to start this upload. Check your connection and retry.";

export function installTus(uppy: MediaUppy, { projectId }: { projectId: string }): void {
  uppy.use(Tus, {
    chunkSize: CHUNK_BYTES,
    retryDelays: RETRY_DELAYS_MS,
    limit: PARALLEL_FILES,
    // The name and type travel as tus metadata; the folder is already part of the upload URL.
    allowedMetaFields: ["name", "type"],
    removeFingerprintOnSuccess: true,
  });
  uppy.addPreProcessor(async (fileIds) => {
    await Promise.all(fileIds.map((id) => ensureEndpoint(uppy, projectId, id)));
  });
}

/**
 * A file resumed after a reload already has its URL (golden retriever keeps `file.tus`). A failure is recorded on
 * the file, not thrown: throwing would fail every file of the batch, while this way only this file fails, in words.
 */
async function ensureEndpoint(uppy: MediaUppy, projectId: string, fileId: string): Promise<void> {
  const file = uppy.getFile(fileId);
  if (!file || file.tus?.endpoint || file.tus?.uploadUrl) return;
  const result = await createSessionUploadAction({ projectId, filename: file.name, folder: file.meta.folder || undefined }).catch(() => null);
  if (!result?.ok) {
    uppy.setFileMeta(fileId, { linkError: result?.error ?? UNREACHABLE });
    return;
  }
  uppy.setFileMeta(fileId, { linkError: undefined });
  uppy.setFileState(fileId, { tus: { endpoint: result.url } });
}
