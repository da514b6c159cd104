// Maps ffprobe's JSON to a TProbe; pure, so odd real-world outputs can be tested as plain objects.
import { AppError } from "@/lib/api/errors";
import type { TFfprobeOutput, TFfprobeStream } from "./ffmpeg";
import { containerFromFormat, mimeForContainer, mimeWithCodecs } from "./mime";
import { orientationOf, type TProbe, type TVideoFacts } from "./probe-types";

function toNumber(value: string | number | undefined): number | undefined {
  if (value === undefined || value === "" || value === "N/A") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** `30000/1001` → 29.97; `0/0` → undefined. */
export function parseRate(rate: string | undefined): number | undefined {
  if (!rate) return undefined;
  const [num, den] = rate.split("/").map(Number);
  if (!num || !den || !Number.isFinite(num / den)) return undefined;
  return Math.round((num / den) * 1000) / 1000;
}

/** Clockwise display rotation: ffprobe's display matrix angle is counter-clockwise; the legacy `rotate` tag is clockwise. */
export function rotationOf(stream: TFfprobeStream): number {
  const matrix = stream.side_data_list?.find((data) => data.side_data_type === "Display Matrix");
  const clockwise = matrix?.rotation !== undefined ? -matrix.rotation : (toNumber(stream.tags?.rotate) ?? 0);
  return (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
}

/** Levels as people write them: H.264 `40` → `4.0`, HEVC `93` → `3.1`, AV1 seq_level_idx `8` → `4.0`. */
export function formatLevel(codec: string, level: number | undefined): string | undefined {
  if (level === undefined || level < 0) return undefined;
  if (codec === "h264") return (level / 10).toFixed(1);
  if (codec === "hevc") return (level / 30).toFixed(1);
  if (codec === "av1") return `${2 + (level >> 2)}.${level & 3}`;
  return String(level);
}

function bitDepthOf(stream: TFfprobeStream): number | undefined {
  const raw = toNumber(stream.bits_per_raw_sample);
  if (raw) return raw;
  const match = /p(\d{2})(le|be)$/.exec(stream.pix_fmt ?? "");
  if (match?.[1]) return Number(match[1]);
  return stream.pix_fmt ? 8 : undefined;
}

function sampleAspect(stream: TFfprobeStream): number {
  const [num, den] = (stream.sample_aspect_ratio ?? "1:1").split(":").map(Number);
  return num && den ? num / den : 1;
}

function isPicture(stream: TFfprobeStream): boolean {
  return stream.codec_type === "video" && stream.disposition?.attached_pic !== 1;
}

/** Builds the probe of a video or audio file; throws `invalid_input` when nothing in it can be decoded. */
export function probeFromFfprobe(
  output: TFfprobeOutput,
  context: { filesize: number; sniffedContainer?: string },
): TProbe {
  const video = output.streams.find((stream) => isPicture(stream) && stream.codec_name);
  const audio = output.streams.find((stream) => stream.codec_type === "audio" && stream.codec_name);
  if (!video && !audio) {
    throw new AppError("invalid_input", "The file is truncated or corrupt: it has no decodable video or audio stream.");
  }
  if (video && (!video.width || !video.height)) {
    throw new AppError("invalid_input", "The file is truncated or corrupt: its video stream has no usable frame size.");
  }

  const format = output.format ?? {};
  const codecs = [video?.codec_name, audio?.codec_name].filter((codec): codec is string => codec !== undefined);
  const container = containerFromFormat(format.format_name ?? "unknown", {
    majorBrand: format.tags?.major_brand,
    sniffed: context.sniffedContainer,
    codecs,
  });
  const kind = video ? "video" : "audio";
  const mime = mimeForContainer(kind, container);
  const duration = toNumber(format.duration) ?? toNumber(video?.duration) ?? toNumber(audio?.duration);
  const probe: TProbe = {
    kind,
    mime,
    type: mimeWithCodecs(mime, codecs),
    container,
    format: container,
    filesize: context.filesize,
    rotation: 0,
    duration: duration === undefined ? undefined : Math.round(duration * 1000) / 1000,
    bitrate: toNumber(format.bit_rate),
    has_video: video !== undefined,
    has_audio: audio !== undefined,
    animated: false,
    transparency: false,
    streams: format.nb_streams ?? output.streams.length,
    codecs: {},
  };

  if (video?.codec_name && video.width && video.height) {
    const rotation = rotationOf(video);
    const displayWidth = Math.round(video.width * sampleAspect(video));
    const turned = rotation === 90 || rotation === 270;
    const avg = parseRate(video.avg_frame_rate);
    const nominal = parseRate(video.r_frame_rate);
    const facts: TVideoFacts = {
      codec: video.codec_name,
      profile: video.profile?.toLowerCase(),
      level: formatLevel(video.codec_name, video.level),
      pix_fmt: video.pix_fmt,
      bit_depth: bitDepthOf(video),
      coded_width: video.width,
      coded_height: video.height,
      sample_aspect_ratio: video.sample_aspect_ratio,
      // Constant-rate files have average = nominal to rounding; phones' variable rate averages a little below it.
      variable_frame_rate: avg !== undefined && nominal !== undefined && Math.abs(avg - nominal) / nominal > 0.002,
    };
    probe.rotation = rotation;
    probe.width = turned ? video.height : displayWidth;
    probe.height = turned ? displayWidth : video.height;
    probe.orientation = orientationOf(probe.width, probe.height);
    probe.fps = avg ?? nominal;
    probe.frames = toNumber(video.nb_frames);
    probe.video = facts;
    probe.codecs.video = { name: facts.codec, profile: facts.profile, level: facts.level };
    probe.transparency = /^(yuva|rgba|argb|bgra|abgr|gbrap|ya)/.test(video.pix_fmt ?? "");
  }
  if (audio?.codec_name) {
    const facts = {
      codec: audio.codec_name,
      channels: audio.channels,
      sample_rate: toNumber(audio.sample_rate),
      bitrate: toNumber(audio.bit_rate),
    };
    probe.audio = facts;
    probe.codecs.audio = { name: facts.codec, sample_rate: facts.sample_rate, channels: facts.channels, bitrate: facts.bitrate };
  }
  return probe;
}
