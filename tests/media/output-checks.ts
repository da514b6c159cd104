// Independent checks of transform outputs: ffprobe run directly, and sharp, never the code under test.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type ProbedStream = {
  codec_type: string;
  codec_name: string;
  codec_tag_string?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  duration?: string;
  sample_rate?: string;
  channels?: number;
  side_data_list?: { rotation?: number }[];
};
export type Probed = { streams: ProbedStream[]; format: { format_name: string; duration?: string; tags?: Record<string, string> } };

export function ffprobe(file: string): Probed {
  return JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "json", file], { encoding: "utf8" })) as Probed;
}

export function videoStream(probed: Probed): ProbedStream {
  const stream = probed.streams.find((candidate) => candidate.codec_type === "video");
  if (!stream) throw new Error("no video stream");
  return stream;
}

export function audioStream(probed: Probed): ProbedStream | undefined {
  return probed.streams.find((candidate) => candidate.codec_type === "audio");
}

/** Decoded duration of the first video stream, counted frame by frame (container durations include audio priming). */
export function countedVideoSeconds(file: string, fps: number): number {
  const out = execFileSync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file], {
    encoding: "utf8",
  });
  return Number(out.trim()) / fps;
}

export function outDir(label: string): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), `mediabit-${label}-`)), "out");
}
