// Files the media e2e drops on the page, generated once per machine (ffmpeg lavfi) and cached in the temp dir.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
// Kept across test runs (the test command points TMPDIR at a folder of its own and removes it).
const CACHE_DIR = path.join(process.env.MEDIABIT_FIXTURE_TMP ?? os.tmpdir(), "mediabit-e2e-fixtures");

export type Fixture = { path: string; name: string; type: string };

/**
 * About 30 MB of real, playable H.264 (1280×720, 6 s): testsrc2 with per-frame noise, which x264 cannot squeeze,
 * at a fixed high bitrate. Big enough that an 8 MB-chunked upload spans several requests.
 */
export async function bigVideo(): Promise<Fixture> {
  const name = "noisy-720p-v1.mp4";
  const output = path.join(CACHE_DIR, name);
  if (!existsSync(output)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${output}.${process.pid}.part.mp4`;
    await run(
      "ffmpeg",
      [
        ...["-hide_banner", "-nostdin", "-loglevel", "error", "-y"],
        ...["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=6", "-vf", "noise=alls=40:allf=t"],
        // yuv420p main-compatible H.264 plays in Chromium; faststart puts the index first for a quick first frame.
        ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-b:v", "36M", "-maxrate", "36M", "-bufsize", "72M"],
        ...["-movflags", "+faststart", partial],
      ],
      { timeout: 120_000 },
    );
    renameSync(partial, output);
  }
  return { path: output, name: "launch-clip.mp4", type: "video/mp4" };
}

/** A small real PNG (one testsrc2 frame, 640×360). */
export async function smallImage(): Promise<Fixture> {
  const output = path.join(CACHE_DIR, "frame-640x360-v1.png");
  if (!existsSync(output)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${output}.${process.pid}.part.png`;
    await run("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=1", "-frames:v", "1", partial], { timeout: 60_000 });
    renameSync(partial, output);
  }
  return { path: output, name: "poster.png", type: "image/png" };
}

/** Text with a video's name and type: the browser lets it through, the server's sniffing refuses it. */
export function fakeVideo(): Fixture {
  mkdirSync(CACHE_DIR, { recursive: true });
  const output = path.join(CACHE_DIR, "not-a-video.mp4");
  writeFileSync(output, "This is a shopping list, not a video.\n".repeat(50));
  return { path: output, name: "holiday.mp4", type: "video/mp4" };
}

export function textFile(): Fixture {
  mkdirSync(CACHE_DIR, { recursive: true });
  const output = path.join(CACHE_DIR, "notes.txt");
  writeFileSync(output, "meeting notes\n");
  return { path: output, name: "notes.txt", type: "text/plain" };
}
