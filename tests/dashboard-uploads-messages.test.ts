// What the media page says when a file does not upload: plain words from the server's own message when it sent one,
// from the status otherwise; whether a retry could help; refusals before the upload starts.
import { describe, expect, it } from "vitest";
import { formatBytes } from "@/components/media/format";
import { describeRefusal, describeUploadError } from "@/components/media/upload-errors";

const enveloped = (message: string) => JSON.stringify({ meta: { status: 400 }, data: null, error: { kind: "invalid_input", message } });
const bare = (message: string) => JSON.stringify({ kind: "upload_gone", message });

describe("describeUploadError", () => {
  it("shows the API error's message in either profile, not the status", () => {
    expect(describeUploadError({ status: 400, body: enveloped("The upload is plain text, not a media file.") })).toEqual({
      message: "The upload is plain text, not a media file.",
      needsNewLink: false,
      canRetry: false,
    });
    expect(describeUploadError({ status: 410, body: bare("This upload URL has been used or has expired.") }).message).toBe("This upload URL has been used or has expired.");
  });

  it("says the connection was lost when no answer came, and that a retry continues", () => {
    expect(describeUploadError({})).toEqual({ message: "The connection was lost. Retry to continue from where the upload stopped.", needsNewLink: false, canRetry: true });
    expect(describeUploadError({ status: 0, body: "" }).message).toMatch(/^The connection was lost/);
  });

  it("asks for a new link when the URL expired or is unknown, whatever the body says", () => {
    // tus answers a used or expired creation with plain text, not the API envelope.
    const gone = describeUploadError({ status: 410, body: "This upload URL has been used or has expired.\n" });
    expect(gone).toEqual({ message: "The upload link expired before the file arrived. Retry to start again with a new link.", needsNewLink: true, canRetry: true });
    expect(describeUploadError({ status: 404 }).needsNewLink).toBe(true);
  });

  it("never retries what the server refused for its content or size, and always retries its outages", () => {
    expect(describeUploadError({ status: 413 })).toEqual({ message: "The file is larger than this server accepts.", needsNewLink: false, canRetry: false });
    expect(describeUploadError({ status: 409, body: "not json" })).toEqual({ message: "The server refused the file (error 409).", needsNewLink: false, canRetry: false });
    expect(describeUploadError({ status: 503, body: bare("The database is unavailable right now. Try again shortly.") })).toEqual({
      message: "The database is unavailable right now. Try again shortly.",
      needsNewLink: false,
      canRetry: true,
    });
    expect(describeUploadError({ status: 502 }).message).toBe("The server could not take the file right now (error 502). Retry in a moment.");
  });

  it("ignores a JSON body without a usable message", () => {
    expect(describeUploadError({ status: 400, body: JSON.stringify({ error: { message: "  " } }) }).message).toBe("The server refused the file (error 400).");
    expect(describeUploadError({ status: 400, body: JSON.stringify({ message: 42 }) }).message).toBe("The server refused the file (error 400).");
  });
});

describe("describeRefusal", () => {
  const limit = 5 * 1024 ** 3;

  it("names the file, its size and the server's limit when it is too large", () => {
    expect(describeRefusal({ name: "long-take.mov", size: 6 * 1024 ** 3, type: "video/quicktime" }, limit)).toBe(
      "long-take.mov is 6 GB; this server accepts files up to 5 GB.",
    );
  });

  it("says a file that is not media is not uploaded", () => {
    expect(describeRefusal({ name: "notes.txt", size: 12, type: "text/plain" }, limit)).toBe("notes.txt is not a video, audio or image file, so it was not uploaded.");
    expect(describeRefusal({ name: "mystery", size: 12, type: "" }, limit)).toBe("mystery is not a video, audio or image file, so it was not uploaded.");
  });
});

describe("formatBytes", () => {
  it("steps by 1024 and keeps one decimal below 100", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1023)).toBe("1023 bytes");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(30.8 * 1024 ** 2)).toBe("30.8 MB");
    expect(formatBytes(5 * 1024 ** 3)).toBe("5 GB");
    expect(formatBytes(250 * 1024 ** 2)).toBe("250 MB");
  });
});
