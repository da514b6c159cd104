// Why a file did not upload, in plain words: refused before it started (size, type) or by the server or network.
import { formatBytes } from "@/components/media/format";

/** What the page accepts; Uppy's `allowedFileTypes` takes the same list. */
export const ACCEPTED_TYPES = ["video/*", "audio/*", "image/*"];
const ACCEPTED_PREFIXES = ACCEPTED_TYPES.map((type) => type.replace("*", ""));

export type UploadFailure = {
  message: string;
  /** The upload URL is gone (expired or used up): a retry must start over with a new one. */
  needsNewLink: boolean;
  /** Sending the same bytes again could succeed (not so when the server refused what they are). */
  canRetry: boolean;
};

/** Before any byte is sent: the file is larger than the server accepts, or not media. */
export function describeRefusal(file: { name: string; size: number | null; type: string }, maxFileBytes: number): string {
  if (file.size !== null && file.size > maxFileBytes) {
    return `${file.name} is ${formatBytes(file.size)}; this server accepts files up to ${formatBytes(maxFileBytes)}.`;
  }
  if (!ACCEPTED_PREFIXES.some((prefix) => file.type.startsWith(prefix))) {
    return `${file.name} is not a video, audio or image file, so it was not uploaded.`;
  }
  return `${file.name} could not be added.`;
}

/** The message of an API error body in any profile: `{error: {message}}` (enveloped) or `{message}`. */
function apiMessage(body: string | undefined): string | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: { message?: unknown } | null };
    const message = parsed.error?.message ?? parsed.message;
    return typeof message === "string" && message.trim() ? message.trim() : null;
  } catch {
    return null;
  }
}

/**
 * After an upload began: `status` is the server's answer (undefined or 0 when no answer came back), `body` its text.
 * The server's own message wins when it sent one; the status only fills in when it did not.
 */
export function describeUploadError({ status, body }: { status?: number; body?: string }): UploadFailure {
  const fromServer = apiMessage(body);
  if (!status) return { message: "The connection was lost. Retry to continue from where the upload stopped.", needsNewLink: false, canRetry: true };
  // 404: the token is unknown or used up; 410: its time ran out. Either way only a new link can carry the file.
  if (status === 404 || status === 410) {
    return { message: fromServer ?? "The upload link expired before the file arrived. Retry to start again with a new link.", needsNewLink: true, canRetry: true };
  }
  if (status === 413) return { message: fromServer ?? "The file is larger than this server accepts.", needsNewLink: false, canRetry: false };
  if (status === 401 || status === 403) return { message: fromServer ?? "The server refused the upload. Reload the page and try again.", needsNewLink: true, canRetry: true };
  if (status === 408 || status === 429 || status >= 500) {
    return { message: fromServer ?? `The server could not take the file right now (error ${status}). Retry in a moment.`, needsNewLink: false, canRetry: true };
  }
  // Any other 4xx is about the file itself (not media, a conflict): the same bytes would be refused again.
  return { message: fromServer ?? `The server refused the file (error ${status}).`, needsNewLink: false, canRetry: false };
}
