// The one owner of task-kind facts: every kind the spec names, its aliases, whether this server can run it,
// and what a transform's output is. lib/media/kinds.ts keys its option schemas by these names.
import { AppError } from "@/lib/api/errors";

export const TRANSFORM_KINDS = ["video", "audio", "image", "animation", "adaptive_video", "thumbnails"] as const;
export type TTransformKind = (typeof TRANSFORM_KINDS)[number];

const RUNNABLE_KINDS = ["ingest", "probe", "export", ...TRANSFORM_KINDS] as const;

/** What a transform's output file is, so its placeholder already has the `kind` the 1.0.0 SDKs require. */
export const TRANSFORM_OUTPUT_KIND: Record<TTransformKind, string> = {
  video: "video",
  adaptive_video: "video",
  audio: "audio",
  image: "image",
  animation: "image",
  thumbnails: "thumbnails",
};

/** Kinds that need AI models (speech, moderation, summaries, ...) or remote calls this build does not ship. */
export const UNAVAILABLE_KINDS = [
  "speech",
  "subtitles",
  "chapters",
  "outline",
  "description",
  "summary",
  "nsfw",
  "tags",
  "prompt",
  "objects",
  "faces",
  "text",
  "http",
  "store",
] as const;

const ALIASES: Record<string, string> = {
  import: "ingest",
  upload: "export",
  subtitle: "subtitles",
  describe: "description",
  adaptive: "adaptive_video",
  hls: "adaptive_video",
};

/** The kind as written (lower-cased) and the canonical kind it stands for; throws for unknown or unavailable kinds. */
export function resolveKind(raw: unknown): { kind: string; canonical: string } {
  if (typeof raw !== "string" || !raw.trim()) {
    throw new AppError("request_invalid", "`kind` is required: one of " + [...RUNNABLE_KINDS, "import", "upload"].join(", ") + ".", [
      { field: "kind", message: "required" },
    ]);
  }
  const kind = raw.trim().toLowerCase();
  const canonical = ALIASES[kind] ?? kind;
  if ((RUNNABLE_KINDS as readonly string[]).includes(canonical)) return { kind, canonical };
  if ((UNAVAILABLE_KINDS as readonly string[]).includes(canonical)) {
    throw new AppError(
      "format_unsupported",
      `Task kind '${kind}' is not available on this server: it needs AI models or services this Mediabit build does not include. GET /api/tasks-config lists what is available.`,
      [{ field: "kind", message: "not available on this server" }],
    );
  }
  throw new AppError("request_invalid", `Unknown task kind '${kind}'. GET /api/tasks-config lists every kind.`, [{ field: "kind", message: "unknown kind" }]);
}

export function isTransformKind(kind: string): kind is TTransformKind {
  return (TRANSFORM_KINDS as readonly string[]).includes(kind);
}
