// The one module that spawns ffmpeg and ffprobe: local inputs only, whitelisted protocols and demuxers, bounded time.
import path from "node:path";
import { env } from "@/lib/env";
import { abortReason, runProcess, type TProcessEnd } from "./run-process";

const FFMPEG = "ffmpeg";
const FFPROBE = "ffprobe";
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Demuxers ffmpeg may open. Playlists and indirections (hls, dash, concat, image2 patterns, tee, subfile…) are left
 * out: they make ffmpeg open further URLs or files named inside the input, the classic SSRF/local-file-read vector.
 */
export const INPUT_DEMUXERS = [
  "mov",
  "matroska",
  "avi",
  "mpegts",
  "mpeg",
  "flv",
  "asf",
  "mxf",
  "ivf",
  "h264",
  "hevc",
  "mp3",
  "aac",
  "ac3",
  "eac3",
  "ogg",
  "flac",
  "wav",
  "w64",
  "aiff",
  "caf",
  "amr",
  "gif",
] as const;

export type TFfmpegFailure = "exit" | "timeout" | "spawn" | "overflow";

/** A processing failure (not the caller's fault as far as we can tell): which tool, how it ended, its last words. */
export class FfmpegError extends Error {
  readonly tool: string;
  readonly reason: TFfmpegFailure;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;

  constructor(tool: string, end: Exclude<TProcessEnd, { reason: "aborted" }>) {
    super(describeEnd(tool, end));
    this.name = "FfmpegError";
    this.tool = tool;
    this.reason = end.reason;
    this.exitCode = end.reason === "spawn" ? null : end.exitCode;
    this.signal = end.reason === "spawn" ? null : end.signal;
    this.stderrTail = end.stderrTail;
    if (end.reason === "spawn") this.cause = end.error;
  }
}

function describeEnd(tool: string, end: Exclude<TProcessEnd, { reason: "aborted" }>): string {
  const lastLine = end.stderrTail.split("\n").at(-1) ?? "";
  const detail = lastLine ? `: ${lastLine}` : "";
  switch (end.reason) {
    case "spawn":
      return `${tool} could not be started: ${end.error.message}`;
    case "timeout":
      return `${tool} ran past its time limit and was stopped${detail}`;
    case "overflow":
      return `${tool} produced more output than allowed and was stopped`;
    case "exit":
      return end.signal
        ? `${tool} was killed by ${end.signal}${detail}`
        : `${tool} failed with exit code ${end.exitCode}${detail}`;
  }
}

/** Turns a finished process into success, a rejection with the abort reason, or an FfmpegError. */
export function settleProcess(tool: string, end: TProcessEnd, signal: AbortSignal | undefined): { stderrTail: string } {
  if (end.reason === "aborted") throw abortReason(signal);
  if (end.reason === "exit" && end.exitCode === 0) return { stderrTail: end.stderrTail };
  throw new FfmpegError(tool, end);
}

export type TRunFfmpegOptions = {
  signal?: AbortSignal;
  /** Wall-clock limit; defaults to MEDIABIT_FFMPEG_TIMEOUT_SECONDS. */
  timeoutMs?: number;
  /** Length of the media being written, so progress can be a fraction. */
  durationSeconds?: number;
  onProgress?: (fraction: number) => void;
  onSpawn?: (pid: number) => void;
  /** Lets an input be `pipe:`; only for callers that feed ffmpeg themselves. */
  allowPipeInput?: boolean;
};

/**
 * The full argv for ffmpeg: fixed global flags, then `args` with a protocol and demuxer whitelist placed before every
 * input. Inputs must be absolute local paths; anything that looks like a URL is refused before ffmpeg sees it.
 */
export function buildFfmpegArgv(args: readonly string[], options: { allowPipeInput?: boolean } = {}): string[] {
  const argv = ["-hide_banner", "-nostdin", "-y", "-loglevel", "warning", "-nostats", "-progress", "pipe:1"];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === "-protocol_whitelist" || arg === "-format_whitelist") {
      throw new Error(`${arg} is set by buildFfmpegArgv; planners must not pass it`);
    }
    if (arg === "-i") {
      const input = args[index + 1];
      if (input === undefined) throw new Error("ffmpeg argument list ends with -i");
      argv.push(...inputGuards(input, options.allowPipeInput === true));
    }
    argv.push(arg);
  }
  return argv;
}

function inputGuards(input: string, allowPipe: boolean): string[] {
  const isPipe = input === "pipe:" || /^pipe:\d+$/.test(input);
  if (isPipe && !allowPipe) throw new Error("ffmpeg pipe input is not allowed for this call");
  if (!isPipe && !path.isAbsolute(input)) throw new Error(`ffmpeg inputs must be absolute local paths, got ${JSON.stringify(input)}`);
  return ["-protocol_whitelist", isPipe ? "file,pipe" : "file", "-format_whitelist", INPUT_DEMUXERS.join(",")];
}

/** Reads ffmpeg's `-progress` key=value stream and reports monotonically increasing fractions of `durationSeconds`. */
export function createProgressParser(durationSeconds: number | undefined, onProgress: (fraction: number) => void) {
  let pending = "";
  let last = -1;
  const report = (fraction: number) => {
    const clamped = Math.min(1, Math.max(0, fraction));
    if (clamped > last) {
      last = clamped;
      onProgress(clamped);
    }
  };
  return (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const [key, value] = line.trim().split("=", 2);
      if (key === "progress" && value === "end") report(1);
      if (key === "out_time_us" && durationSeconds && durationSeconds > 0) {
        const micros = Number(value);
        if (Number.isFinite(micros)) report(micros / 1e6 / durationSeconds);
      }
    }
  };
}

/** Runs ffmpeg with `args` (inputs and outputs, no global flags); rejects with FfmpegError or the abort reason. */
export async function runFfmpeg(args: readonly string[], options: TRunFfmpegOptions = {}): Promise<{ stderrTail: string }> {
  const argv = buildFfmpegArgv(args, { allowPipeInput: options.allowPipeInput });
  const onStdout = options.onProgress ? createProgressParser(options.durationSeconds, options.onProgress) : undefined;
  const { end } = await runProcess(FFMPEG, argv, {
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? env().MEDIABIT_FFMPEG_TIMEOUT_SECONDS * 1000,
    onStdout,
    onSpawn: options.onSpawn,
  });
  return settleProcess("ffmpeg", end, options.signal);
}

export type TFfprobeStream = {
  index: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  coded_width?: number;
  coded_height?: number;
  sample_aspect_ratio?: string;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  bit_rate?: string;
  sample_rate?: string;
  channels?: number;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
};

export type TFfprobeFormat = {
  format_name?: string;
  duration?: string;
  size?: string;
  bit_rate?: string;
  nb_streams?: number;
  tags?: Record<string, string>;
};

export type TFfprobeOutput = { streams: TFfprobeStream[]; format?: TFfprobeFormat };

/** ffprobe's JSON view of a local file, read under the same whitelists as ffmpeg. */
export async function runFfprobe(
  inputPath: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<TFfprobeOutput> {
  const guards = inputGuards(inputPath, false);
  const argv = ["-hide_banner", "-v", "error", ...guards, "-show_format", "-show_streams", "-of", "json", "-i", inputPath];
  const { end, stdout } = await runProcess(FFPROBE, argv, {
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? PROBE_TIMEOUT_MS,
    captureStdout: true,
    maxStdoutBytes: 4 * 1024 * 1024,
  });
  settleProcess("ffprobe", end, options.signal);
  const parsed = JSON.parse(stdout) as Partial<TFfprobeOutput>;
  return { streams: parsed.streams ?? [], format: parsed.format };
}

let encoders: Promise<ReadonlySet<string>> | undefined;

/** Encoder names this machine's ffmpeg was built with (`libx264`, `libsvtav1`…), asked once per process. */
export function listFfmpegEncoders(): Promise<ReadonlySet<string>> {
  encoders ??= (async () => {
    const { end, stdout } = await runProcess(FFMPEG, ["-hide_banner", "-nostdin", "-encoders"], {
      timeoutMs: PROBE_TIMEOUT_MS,
      captureStdout: true,
    });
    settleProcess("ffmpeg", end, undefined);
    return parseEncoderList(stdout);
  })();
  // A failed lookup (ffmpeg missing) is retried next time rather than cached.
  encoders.catch(() => (encoders = undefined));
  return encoders;
}

/** Names from `ffmpeg -encoders` output: lines like ` V....D libx264   libx264 H.264 …` below the ` ------` rule. */
export function parseEncoderList(text: string): ReadonlySet<string> {
  const names = new Set<string>();
  const body = text.split(/^ -+$/m)[1] ?? "";
  for (const line of body.split("\n")) {
    const match = /^\s*[VAS][.A-Z]{5}\s+(\S+)/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}
