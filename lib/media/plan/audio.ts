// audio: extract or convert the first audio track to mp3, aac, m4a, ogg, opus, wav or flac (tasks.md §5.2).
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { resolveClip } from "./clip";
import { STRIP_METADATA, outputPath } from "./common";
import { ZQuality, checkClip, clipShape, namingShape } from "./options";
import { audioBitrate, type TAudioCodec } from "./quality";
import type { TPlan, TPlanContext } from "./types";

export const AUDIO_FORMATS = ["mp3", "aac", "m4a", "ogg", "opus", "wav", "flac"] as const;
export type TAudioFormat = (typeof AUDIO_FORMATS)[number];

export const ZAudioOptions = z
  .strictObject({
    format: z.enum(AUDIO_FORMATS).optional(),
    quality: ZQuality.optional(),
    bitrate: z.number().int().min(32_000).max(320_000).optional(),
    ...clipShape,
    /** EBU R128 loudness normalisation to -16 LUFS (the common streaming target). */
    normalize: z.boolean().optional(),
    ...namingShape,
  })
  .superRefine(checkClip);
export type TAudioOptions = z.infer<typeof ZAudioOptions>;

type TAudioTarget = { encoder: string; lossy?: TAudioCodec; muxer: string; mime: string; maxSampleRate?: number; stereoOnly?: boolean };

/** Encoder, muxer and MIME per output format. */
export const AUDIO_TARGETS: Record<TAudioFormat, TAudioTarget> = {
  mp3: { encoder: "libmp3lame", lossy: "mp3", muxer: "mp3", mime: "audio/mpeg", maxSampleRate: 48_000, stereoOnly: true },
  aac: { encoder: "aac", lossy: "aac", muxer: "adts", mime: "audio/aac" },
  m4a: { encoder: "aac", lossy: "aac", muxer: "ipod", mime: "audio/mp4" },
  ogg: { encoder: "libvorbis", lossy: "vorbis", muxer: "ogg", mime: "audio/ogg" },
  opus: { encoder: "libopus", lossy: "opus", muxer: "opus", mime: "audio/ogg", maxSampleRate: 48_000, stereoOnly: true },
  wav: { encoder: "pcm_s16le", muxer: "wav", mime: "audio/wav" },
  flac: { encoder: "flac", muxer: "flac", mime: "audio/flac" },
};

// loudnorm works at 192 kHz internally and emits that rate unless told otherwise.
const LOUDNORM = "loudnorm=I=-16:TP=-1.5:LRA=11";

export function planAudio(context: TPlanContext<TAudioOptions>): TPlan {
  const { probe, options, inputPath, outDir } = context;
  if (!probe.has_audio) throw new AppError("invalid_input", "The input has no audio track.");
  const format = options.format ?? "mp3";
  const target = AUDIO_TARGETS[format];
  const clip = resolveClip(probe.duration, options);
  const channels = probe.audio?.channels;
  const inputRate = probe.audio?.sample_rate;
  const rateCap = target.maxSampleRate ?? 192_000;
  // Opus only encodes at 48 kHz-family rates; loudnorm needs an explicit rate back down from 192 kHz.
  let sampleRate: number | undefined;
  if (format === "opus") sampleRate = 48_000;
  else if (options.normalize) sampleRate = Math.min(inputRate ?? 48_000, 48_000);
  else if (inputRate !== undefined && inputRate > rateCap) sampleRate = rateCap;
  const bitrate = target.lossy ? (options.bitrate ?? audioBitrate(target.lossy, options.quality)) : undefined;
  const output = outputPath(outDir, `audio.${format}`);
  const args = [
    ...clip.seekArgs,
    "-i",
    inputPath,
    "-map",
    "0:a:0",
    "-vn",
    "-sn",
    "-dn",
    ...(options.normalize ? ["-af", LOUDNORM] : []),
    "-c:a",
    target.encoder,
    ...(bitrate !== undefined ? ["-b:a", `${Math.round(bitrate / 1000)}k`] : []),
    ...(target.stereoOnly && channels !== undefined && channels > 2 ? ["-ac", "2"] : []),
    ...(sampleRate !== undefined ? ["-ar", String(sampleRate)] : []),
    ...clip.lengthArgs,
    ...STRIP_METADATA,
    ...(format === "m4a" ? ["-movflags", "+faststart"] : []),
    "-f",
    target.muxer,
    output,
  ];
  return {
    steps: [{ tool: "ffmpeg", args, durationSeconds: clip.duration }],
    outputs: [{ path: output, role: "main", mime: target.mime }],
    collect: [],
    encoders: [target.encoder],
  };
}
