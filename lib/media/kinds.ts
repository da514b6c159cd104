// The media task kinds: option schemas, output formats, and which of them this server's ffmpeg can produce.
// The kind names themselves are owned by lib/tasks/kinds.ts.
import { z } from "zod";
import { AppError, type ErrorDetail } from "@/lib/api/errors";
import type { TTransformKind } from "@/lib/tasks/kinds";
import { listFfmpegEncoders } from "./ffmpeg";
import { ZAdaptiveVideoOptions, planAdaptiveVideo } from "./plan/adaptive-video";
import { ANIMATION_FORMATS, ZAnimationOptions, planAnimation } from "./plan/animation";
import { AUDIO_FORMATS, AUDIO_TARGETS, ZAudioOptions, planAudio } from "./plan/audio";
import { IMAGE_FORMATS, ZImageOptions, planImage } from "./plan/image";
import { namingShape } from "./plan/options";
import { ZThumbnailsOptions, planThumbnails } from "./plan/thumbnails";
import type { TPlan, TPlanContext } from "./plan/types";
import type { TVideoCodec } from "./plan/quality";
import { VIDEO_CODECS, VIDEO_ENCODERS, VIDEO_FORMATS, ZVideoOptions, planVideo, resolveFormatAndCodec, type TVideoFormat } from "./plan/video";

export const ZProbeOptions = z.strictObject({ ...namingShape });

/** Per kind: its options schema, what inputs it takes, and each output format with the ffmpeg encoders it needs. */
export const MEDIA_KINDS = {
  video: {
    schema: ZVideoOptions,
    inputs: ["video"],
    formats: Object.fromEntries(VIDEO_FORMATS.map((format) => [format, []])) as Record<string, string[]>,
    codecs: Object.fromEntries(VIDEO_CODECS.map((codec) => [codec, [VIDEO_ENCODERS[codec]]])) as Record<string, string[]>,
  },
  audio: {
    schema: ZAudioOptions,
    inputs: ["audio", "video"],
    formats: Object.fromEntries(AUDIO_FORMATS.map((format) => [format, [AUDIO_TARGETS[format].encoder]])) as Record<string, string[]>,
  },
  image: {
    schema: ZImageOptions,
    inputs: ["image", "video"],
    // sharp encodes every image format; ffmpeg's png encoder is only needed for frames from video.
    formats: Object.fromEntries(IMAGE_FORMATS.map((format) => [format, []])) as Record<string, string[]>,
  },
  animation: {
    schema: ZAnimationOptions,
    inputs: ["video", "image"],
    formats: Object.fromEntries(ANIMATION_FORMATS.map((format) => [format, [format === "gif" ? "gif" : "libwebp_anim"]])) as Record<string, string[]>,
  },
  adaptive_video: { schema: ZAdaptiveVideoOptions, inputs: ["video"], formats: { hls: ["libx264", "aac"] } as Record<string, string[]> },
  thumbnails: { schema: ZThumbnailsOptions, inputs: ["video"], formats: { vtt: ["mjpeg"], jpg: ["mjpeg"] } as Record<string, string[]> },
  probe: { schema: ZProbeOptions, inputs: ["video", "audio", "image"], formats: {} as Record<string, string[]> },
} as const satisfies Record<TTransformKind | "probe", { schema: z.ZodType; inputs: readonly string[]; formats: Record<string, string[]>; codecs?: Record<string, string[]> }>;

export type TMediaTaskKind = keyof typeof MEDIA_KINDS;

export type TKindDescription = {
  available: boolean;
  inputs: readonly string[];
  formats: Record<string, { available: boolean }>;
  codecs?: Record<string, { available: boolean }>;
  /** JSON Schema of the options, for `GET /tasks-config`. */
  options: unknown;
};

/** Every media kind with availability on this machine (encoders present in the installed ffmpeg). */
export async function describeMediaKinds(): Promise<Record<TMediaTaskKind, TKindDescription>> {
  const encoders = await listFfmpegEncoders();
  const has = (needed: readonly string[]) => needed.every((name) => encoders.has(name));
  const entries = Object.entries(MEDIA_KINDS).map(([kind, entry]) => {
    const codecs = "codecs" in entry ? Object.fromEntries(Object.entries(entry.codecs).map(([codec, needed]) => [codec, { available: has(needed) }])) : undefined;
    const formats = Object.fromEntries(Object.entries(entry.formats).map(([format, needed]) => [format, { available: has(needed) }]));
    const anyFormat = Object.keys(formats).length === 0 || Object.values(formats).some((format) => format.available);
    const anyCodec = codecs === undefined || Object.values(codecs).some((codec) => codec.available);
    const description: TKindDescription = {
      available: anyFormat && anyCodec,
      inputs: entry.inputs,
      formats,
      ...(codecs ? { codecs } : {}),
      options: z.toJSONSchema(entry.schema, { unrepresentable: "any" }),
    };
    return [kind, description] as const;
  });
  return Object.fromEntries(entries) as Record<TMediaTaskKind, TKindDescription>;
}

/** Validates raw options for a kind; failures are `request_invalid` with one detail per problem. */
export function parseMediaOptions<K extends TMediaTaskKind>(kind: K, raw: unknown): z.infer<(typeof MEDIA_KINDS)[K]["schema"]> {
  const result = MEDIA_KINDS[kind].schema.safeParse(raw ?? {});
  if (result.success) return result.data as z.infer<(typeof MEDIA_KINDS)[K]["schema"]>;
  const details: ErrorDetail[] = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? `options.${issue.path.join(".")}` : "options",
    message: issue.message,
  }));
  throw new AppError("request_invalid", `Invalid options for a ${kind} task: ${details.map((d) => `${d.field}: ${d.message}`).join("; ")}`, details);
}

/** Parses the options and runs the kind's planner. */
export function planMedia(kind: TTransformKind, context: Omit<TPlanContext<unknown>, "options"> & { options: unknown }): TPlan {
  switch (kind) {
    case "video":
      return planVideo({ ...context, options: parseMediaOptions("video", context.options) });
    case "audio":
      return planAudio({ ...context, options: parseMediaOptions("audio", context.options) });
    case "image":
      return planImage({ ...context, options: parseMediaOptions("image", context.options) });
    case "animation":
      return planAnimation({ ...context, options: parseMediaOptions("animation", context.options) });
    case "adaptive_video":
      return planAdaptiveVideo({ ...context, options: parseMediaOptions("adaptive_video", context.options) });
    case "thumbnails":
      return planThumbnails({ ...context, options: parseMediaOptions("thumbnails", context.options) });
  }
}

/** Refuses, before any work starts, a format or codec the installed ffmpeg cannot encode. */
export function assertOptionsEncodable(kind: TTransformKind, options: Record<string, unknown>, encoders: ReadonlySet<string>): void {
  const entry = MEDIA_KINDS[kind];
  const wanted: string[] = [];
  // Video: the container/codec pairing is checked now (vp9 only in webm, …), with the codec a format implies.
  const codec = kind === "video" ? resolveFormatAndCodec(options as { format?: TVideoFormat; codec?: TVideoCodec }).codec : options.codec;
  if ("codecs" in entry && typeof codec === "string") wanted.push(...(entry.codecs[codec] ?? []));
  if (typeof options.format === "string") wanted.push(...(entry.formats[options.format] ?? []));
  const missing = wanted.filter((encoder) => !encoders.has(encoder));
  if (missing.length > 0) {
    const what = [options.format, codec].filter(Boolean).join("/");
    throw new AppError("format_unsupported", `This server's ffmpeg has no ${missing.join(", ")} encoder, so it cannot make ${kind} output as ${what}.`, [
      { field: typeof options.codec === "string" ? "options.codec" : "options.format", message: "not available on this server" },
    ]);
  }
}
