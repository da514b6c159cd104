// Container and codec names → MIME types, the one table used for probes and outputs.

const VIDEO_MIME: Record<string, string> = {
  mp4: "video/mp4",
  mov: "video/quicktime",
  "3gp": "video/3gpp",
  webm: "video/webm",
  mkv: "video/x-matroska",
  avi: "video/x-msvideo",
  ts: "video/mp2t",
  mpeg: "video/mpeg",
  flv: "video/x-flv",
  asf: "video/x-ms-asf",
  mxf: "application/mxf",
  ogg: "video/ogg",
  gif: "image/gif",
  ivf: "video/x-ivf",
  h264: "video/h264",
  hevc: "video/h265",
};

const AUDIO_MIME: Record<string, string> = {
  mp4: "audio/mp4",
  m4a: "audio/mp4",
  mov: "audio/mp4",
  webm: "audio/webm",
  mkv: "audio/x-matroska",
  mp3: "audio/mpeg",
  aac: "audio/aac",
  ac3: "audio/ac3",
  eac3: "audio/eac3",
  ogg: "audio/ogg",
  opus: "audio/ogg",
  flac: "audio/flac",
  wav: "audio/wav",
  w64: "audio/x-w64",
  aiff: "audio/aiff",
  caf: "audio/x-caf",
  amr: "audio/amr",
  ts: "audio/mp2t",
};

export const IMAGE_MIME: Record<string, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
  gif: "image/gif",
  tiff: "image/tiff",
  bmp: "image/bmp",
  heic: "image/heic",
  heif: "image/heif",
  svg: "image/svg+xml",
};

// File extensions → media kind: the first guess from a name, before probing decides.
const EXTENSION_KINDS: Record<string, "video" | "audio" | "image"> = Object.fromEntries([
  ...["mp4", "m4v", "mov", "webm", "mkv", "avi", "ts", "mts", "m2ts", "3gp", "mpg", "mpeg", "ogv"].map((e) => [e, "video"] as const),
  ...["mp3", "m4a", "aac", "wav", "flac", "ogg", "oga", "opus", "weba"].map((e) => [e, "audio"] as const),
  ...["jpg", "jpeg", "png", "gif", "webp", "avif", "heic", "heif", "tif", "tiff", "bmp"].map((e) => [e, "image"] as const),
]);

/** The media kind a file name's extension suggests, or null. */
export function kindFromFileName(name: string): "video" | "audio" | "image" | null {
  return EXTENSION_KINDS[name.split(".").pop()?.toLowerCase() ?? ""] ?? null;
}

// Files that are not media but travel with it (HLS playlists, thumbnail tracks).
const PACKAGE_MIME: Record<string, string> = { m3u8: "application/vnd.apple.mpegurl", vtt: "text/vtt" };

/** The content type a stored file's extension implies (the local store skips a sidecar when they agree), or undefined. */
export function mimeForFileName(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const extension = name.slice(dot + 1).toLowerCase();
  return PACKAGE_MIME[extension] ?? IMAGE_MIME[extension === "jpg" ? "jpeg" : extension] ?? VIDEO_MIME[extension] ?? AUDIO_MIME[extension];
}

// RFC 6381-style short codec ids, as in `video/mp4;codecs=avc1,mp4a`.
const CODEC_TAGS: Record<string, string> = {
  h264: "avc1",
  hevc: "hvc1",
  vp8: "vp8",
  vp9: "vp09",
  av1: "av01",
  aac: "mp4a",
  mp3: "mp3",
  opus: "opus",
  vorbis: "vorbis",
  flac: "flac",
  ac3: "ac-3",
  eac3: "ec-3",
};

export function mimeForContainer(kind: "video" | "audio" | "image", container: string): string {
  if (kind === "image") return IMAGE_MIME[container] ?? "application/octet-stream";
  if (kind === "audio") return AUDIO_MIME[container] ?? "application/octet-stream";
  return VIDEO_MIME[container] ?? "application/octet-stream";
}

/** `video/mp4;codecs=avc1,mp4a` when the codecs have short ids; the bare MIME otherwise. */
export function mimeWithCodecs(mime: string, codecs: readonly (string | undefined)[]): string {
  const tags = codecs.flatMap((codec) => (codec && CODEC_TAGS[codec] ? [CODEC_TAGS[codec]] : []));
  return tags.length > 0 ? `${mime};codecs=${tags.join(",")}` : mime;
}

/**
 * Short container name from ffprobe's `format_name` (e.g. `mov,mp4,m4a,3gp,3g2,mj2`), refined by the major brand or
 * by what sniffing saw, because ffprobe reports MP4 and QuickTime (and Matroska and WebM) under one name.
 */
export function containerFromFormat(formatName: string, options: { majorBrand?: string; sniffed?: string; codecs: string[] }): string {
  const first = formatName.split(",")[0] ?? formatName;
  if (first === "mov") {
    const brand = options.majorBrand?.trim();
    if (brand === "qt") return "mov";
    if (brand === "M4A" || brand === "M4B") return "m4a";
    if (brand?.startsWith("3g")) return "3gp";
    return options.sniffed === "mov" ? "mov" : "mp4";
  }
  if (first === "matroska") {
    const webmCodecs = new Set(["vp8", "vp9", "av1", "opus", "vorbis"]);
    if (options.sniffed === "webm" || (options.codecs.length > 0 && options.codecs.every((codec) => webmCodecs.has(codec)))) {
      return "webm";
    }
    return "mkv";
  }
  if (first === "mpegts") return "ts";
  if (first === "ogg") return options.codecs.length === 1 && options.codecs[0] === "opus" ? "opus" : "ogg";
  return first;
}
