// Checks what a transform wrote before anyone is told it succeeded: non-empty, decodable, playlists self-contained.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/api/errors";
import { FfmpegError } from "./ffmpeg";
import type { TOutputRole } from "./plan/types";
import { probeFile } from "./probe";
import type { TProbe } from "./probe-types";

type TOutput = { path: string; role: TOutputRole; mime: string; size: number; probe?: TProbe };

function broken(output: TOutput, why: string): AppError {
  return new AppError("unprocessable", `Processing produced a broken ${path.basename(output.path)}: ${why}.`);
}

/** URIs in an HLS playlist: every line that is not blank and not a `#` tag. */
export function playlistUris(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

async function validatePlaylist(output: TOutput, outDir: string, names: Set<string>): Promise<void> {
  const text = await readFile(output.path, "utf8");
  if (!text.startsWith("#EXTM3U")) throw broken(output, "not an M3U8 playlist");
  const uris = playlistUris(text);
  if (uris.length === 0) throw broken(output, "the playlist lists nothing");
  for (const uri of uris) {
    // Only bare relative names: the package must work from whatever URL it is served under.
    if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith("/") || uri.includes("..")) throw broken(output, `non-relative URI ${uri}`);
    const target = path.join(path.dirname(output.path), uri);
    if (path.dirname(target) !== outDir || !names.has(path.basename(target))) throw broken(output, `it names missing ${uri}`);
  }
}

/** Probes an output the way an upload is probed; the result describes the published file, so it is kept. */
async function validateMedia(output: TOutput, signal: AbortSignal | undefined): Promise<void> {
  try {
    output.probe = await probeFile(output.path, { signal });
  } catch (error) {
    if (error instanceof FfmpegError || error instanceof AppError) {
      throw broken(output, output.mime.startsWith("image/") ? "not a readable image" : "it does not decode");
    }
    throw error;
  }
}

/**
 * Throws `unprocessable` unless every output is non-empty and the ones that matter decode: the main output, the
 * sprite, the first frame of a series, the first segment of each rendition, and every playlist and VTT. Outputs that
 * were probed keep their probe in `probe`.
 */
export async function validateOutputs(outputs: TOutput[], context: { outDir: string; signal?: AbortSignal }): Promise<void> {
  if (outputs.length === 0) throw new AppError("unprocessable", "Processing produced no output.");
  const names = new Set(outputs.map((output) => path.basename(output.path)));
  const seenSegmentPrefixes = new Set<string>();
  let sawFrame = false;
  for (const output of outputs) {
    if (output.size === 0) throw broken(output, "it is empty");
    if (output.mime === "application/vnd.apple.mpegurl") {
      await validatePlaylist(output, context.outDir, names);
    } else if (output.mime === "text/vtt") {
      const text = await readFile(output.path, "utf8");
      if (!text.startsWith("WEBVTT")) throw broken(output, "not a WebVTT file");
    } else if (output.role === "segment") {
      const prefix = path.basename(output.path).replace(/_\d+\.ts$/, "");
      if (!seenSegmentPrefixes.has(prefix)) await validateMedia(output, context.signal);
      seenSegmentPrefixes.add(prefix);
    } else if (output.role === "frame") {
      if (!sawFrame) await validateMedia(output, context.signal);
      sawFrame = true;
    } else {
      await validateMedia(output, context.signal);
    }
  }
}
