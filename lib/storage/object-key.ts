// The one owner of the object-key layout: `projects/<projectId>/files/<fileId>/<name or package path>`.
import { AppError } from "@/lib/api/errors";

/** Bytes, not characters: keys end up as file names (255-byte limit) and S3 keys (1024). */
export const MAX_FILENAME_BYTES = 200;
export const MAX_FOLDER_SEGMENT_BYTES = 100;
export const MAX_FOLDER_BYTES = 512;
export const MAX_FOLDER_DEPTH = 16;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const FALLBACK_FILENAME = "file";
// Letters, marks and digits of any script, plus `.`, `_` and `-`; everything else becomes `-`.
const UNSAFE_CHARS = /[^\p{L}\p{M}\p{N}._-]+/gu;
// Control and format characters (NUL, newlines, bidi overrides that disguise extensions) are dropped outright.
const INVISIBLE_CHARS = /[\p{Cc}\p{Cf}]/gu;
const RESERVED_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

export type FileKeyScope = { projectId: string; fileId: string };

export type ParsedObjectKey = FileKeyScope & { path: string };

function assertId(label: string, value: string): void {
  if (!ID_PATTERN.test(value)) throw new AppError("invalid_input", `${label} '${value}' cannot be used in an object key`);
}

function utf8Length(value: string): number {
  return Buffer.byteLength(value, "utf8");
}

/** Cuts at a code-point boundary so the result is still valid UTF-8 within `maxBytes`. */
function truncateBytes(value: string, maxBytes: number): string {
  if (utf8Length(value) <= maxBytes) return value;
  let out = "";
  let used = 0;
  for (const char of value) {
    const size = utf8Length(char);
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out;
}

/** One path segment made safe: no separators, no dot-only or dot-leading names, no leading `-` (read as a CLI flag). */
function sanitizeSegment(raw: string, maxBytes: number): string {
  let value = raw
    .normalize("NFC")
    .replace(INVISIBLE_CHARS, "")
    .replace(UNSAFE_CHARS, "-")
    .replace(/-{2,}/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/-\.|\.-/g, ".")
    .replace(/^[.-]+|[.-]+$/g, "");
  if (RESERVED_DEVICE_NAMES.test(value)) value = `_${value}`;
  return truncateBytes(value, maxBytes).replace(/[.-]+$/g, "");
}

/**
 * A user-supplied file name made safe for keys, file systems and URLs. Only the last path segment counts
 * (`../../etc/passwd` → `passwd`); the extension survives truncation. Never empty, never throws.
 */
export function sanitizeFilename(name: string): string {
  const segments = name.split(/[\\/]+/).filter((segment) => segment !== "");
  const base = sanitizeSegment(segments.at(-1) ?? "", Number.MAX_SAFE_INTEGER);
  if (base === "") return FALLBACK_FILENAME;
  if (utf8Length(base) <= MAX_FILENAME_BYTES) return base;
  const dot = base.lastIndexOf(".");
  const extension = dot > 0 && base.length - dot <= 16 ? base.slice(dot) : "";
  const stem = truncateBytes(base.slice(0, base.length - extension.length), MAX_FILENAME_BYTES - utf8Length(extension));
  const result = `${stem.replace(/[.-]+$/g, "")}${extension}`;
  return sanitizeSegment(result, MAX_FILENAME_BYTES) || FALLBACK_FILENAME;
}

/**
 * A user-supplied folder made relative and safe: `/`, `\` and repeated slashes collapse, `.` and `..` segments
 * are dropped (never resolved), each segment is sanitised, and depth and length are capped. `""` means no folder.
 */
export function sanitizeFolder(folder: string): string {
  const kept: string[] = [];
  let bytes = 0;
  for (const raw of folder.split(/[\\/]+/)) {
    const segment = sanitizeSegment(raw, MAX_FOLDER_SEGMENT_BYTES);
    if (segment === "") continue;
    const added = utf8Length(segment) + (kept.length > 0 ? 1 : 0);
    if (kept.length === MAX_FOLDER_DEPTH || bytes + added > MAX_FOLDER_BYTES) break;
    kept.push(segment);
    bytes += added;
  }
  return kept.join("/");
}

/** `projects/<projectId>/`: everything a project owns in the store. */
export function projectKeyPrefix(projectId: string): string {
  assertId("project id", projectId);
  return `projects/${projectId}/`;
}

/** `projects/<projectId>/files/<fileId>/`: every object of one file (its bytes, or a whole package). */
export function fileKeyPrefix({ projectId, fileId }: FileKeyScope): string {
  assertId("file id", fileId);
  return `${projectKeyPrefix(projectId)}files/${fileId}/`;
}

/** The key of a file's single object. Deterministic: the same inputs always give the same key. */
export function objectKey({ projectId, fileId, name }: FileKeyScope & { name: string }): string {
  return `${fileKeyPrefix({ projectId, fileId })}${sanitizeFilename(name)}`;
}

/**
 * Where a browser uploads straight into the bucket before the bytes are checked and published:
 * `projects/<projectId>/uploads/<uploadId>/<name>`, outside every file's prefix.
 */
export function uploadStagingKey({ projectId, uploadId, name }: { projectId: string; uploadId: string; name: string }): string {
  assertId("upload id", uploadId);
  return `${projectKeyPrefix(projectId)}uploads/${uploadId}/${sanitizeFilename(name)}`;
}

/**
 * The key of one entry of a package (an HLS master playlist, its variant playlists and segments) kept under
 * the package file's prefix: `packageEntryKey({ …, path: "720p/segment-00001.ts" })`.
 */
export function packageEntryKey({ projectId, fileId, path }: FileKeyScope & { path: string }): string {
  const separator = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const folder = separator >= 0 ? sanitizeFolder(path.slice(0, separator)) : "";
  const name = sanitizeFilename(path.slice(separator + 1));
  return `${fileKeyPrefix({ projectId, fileId })}${folder ? `${folder}/` : ""}${name}`;
}

/** The inverse of the layout: which project and file a key belongs to, or null for a key outside it. */
export function parseObjectKey(key: string): ParsedObjectKey | null {
  const match = /^projects\/([^/]+)\/files\/([^/]+)\/(.+)$/.exec(key);
  if (!match) return null;
  const [, projectId = "", fileId = "", path = ""] = match;
  if (!ID_PATTERN.test(projectId) || !ID_PATTERN.test(fileId)) return null;
  return { projectId, fileId, path };
}
