// Every task kind the spec names, its aliases, and whether this server can run it.
import { AppError } from "@/lib/api/errors";

export const TRANSFORM_KINDS = ["video", "audio", "image", "animation", "adaptive_video", "thumbnails"] as const;
export type TransformKind = (typeof TRANSFORM_KINDS)[number];

export const RUNNABLE_KINDS = ["ingest", "probe", "export", ...TRANSFORM_KINDS] as const;
export type RunnableKind = (typeof RUNNABLE_KINDS)[number];

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

export type KindInfo = { kind: string; canonical: string; runnable: boolean };

export function resolveKind(raw: unknown): KindInfo {
  if (typeof raw !== "string" || !raw.trim()) {
    throw new AppError("request_invalid", "`kind` is required: one of " + [...RUNNABLE_KINDS, "import", "upload"].join(", ") + ".", [
      { field: "kind", message: "required" },
    ]);
  }
  const kind = raw.trim().toLowerCase();
  const canonical = ALIASES[kind] ?? kind;
  if ((RUNNABLE_KINDS as readonly string[]).includes(canonical)) return { kind, canonical, runnable: true };
  if ((UNAVAILABLE_KINDS as readonly string[]).includes(canonical)) {
    throw new AppError(
      "format_unsupported",
      `Task kind '${kind}' is not available on this server: it needs AI models or services this Mediabit build does not include. GET /api/tasks-config lists what is available.`,
      [{ field: "kind", message: "not available on this server" }],
    );
  }
  throw new AppError("request_invalid", `Unknown task kind '${kind}'. GET /api/tasks-config lists every kind.`, [{ field: "kind", message: "unknown kind" }]);
}

export function isTransformKind(kind: string): kind is TransformKind {
  return (TRANSFORM_KINDS as readonly string[]).includes(kind);
}
