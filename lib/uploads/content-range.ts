// Content-Range of a resumable PUT chunk: Ittybit's docs write `bytes=<a>-<b>/<total>`, HTTP writes `bytes <a>-<b>/<total>`.
import { AppError } from "@/lib/api/errors";
import { env } from "@/lib/env";

/** Inclusive byte offsets of one chunk within an upload of `total` bytes. */
export type TContentRange = { start: number; end: number; total: number };

// Up to 15 digits stays within Number.MAX_SAFE_INTEGER; no sign, no spaces inside the numbers.
const CONTENT_RANGE = /^bytes(?:=|[ ]+)([0-9]{1,15})-([0-9]{1,15})\/([0-9]{1,15})$/i;

function badRange(header: string, why: string): AppError {
  return new AppError("request_invalid", `Content-Range '${header.slice(0, 100)}' ${why}. Send 'bytes <start>-<end>/<total>' (inclusive offsets), e.g. 'bytes 0-1048575/5000000'.`, [
    { field: "Content-Range", message: why },
  ]);
}

/** The chunk a Content-Range names; a 400 for anything malformed or impossible, a 413 for a total over MEDIABIT_MAX_FILE_BYTES. */
export function parseContentRange(header: string): TContentRange {
  const match = CONTENT_RANGE.exec(header.trim());
  if (!match) throw badRange(header, "is not a byte range with a known total");
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (total === 0) throw badRange(header, "announces an empty upload");
  if (start > end) throw badRange(header, "ends before it starts");
  if (end >= total) throw badRange(header, "ends at or past the total size (offsets start at 0)");
  const max = env().MEDIABIT_MAX_FILE_BYTES;
  if (total > max) throw new AppError("payload_too_large", `The upload announces ${total} bytes; the largest file this server accepts is ${max} bytes.`);
  return { start, end, total };
}

/** Bytes the chunk carries. */
export function rangeLength(range: Pick<TContentRange, "start" | "end">): number {
  return range.end - range.start + 1;
}

/** Inclusive [start, end] pairs, sorted and disjoint, as kept in `uploads.ranges`. */
export type TRanges = [number, number][];

/** `ranges` with [start, end] added: sorted, overlapping and touching ranges merged. */
export function mergeRange(ranges: TRanges, start: number, end: number): TRanges {
  const all = [...ranges, [start, end] as [number, number]].sort((a, b) => a[0] - b[0]);
  const merged: TRanges = [];
  for (const [a, b] of all) {
    const last = merged.at(-1);
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** The parts of [start, end] already held in `ranges`. */
export function overlaps(ranges: TRanges, start: number, end: number): TRanges {
  const out: TRanges = [];
  for (const [a, b] of ranges) {
    const from = Math.max(a, start);
    const to = Math.min(b, end);
    if (from <= to) out.push([from, to]);
  }
  return out;
}

export function coveredBytes(ranges: TRanges): number {
  return ranges.reduce((sum, [a, b]) => sum + (b - a + 1), 0);
}

export function isComplete(ranges: TRanges, total: number): boolean {
  return ranges.length === 1 && ranges[0]![0] === 0 && ranges[0]![1] === total - 1;
}

/** The received ranges as a `Range` header value (`bytes=0-99,200-299`), as resumable-upload servers report progress. */
export function rangeHeader(ranges: TRanges): string | null {
  return ranges.length ? `bytes=${ranges.map(([a, b]) => `${a}-${b}`).join(",")}` : null;
}

/** `uploads.ranges` as stored: anything that is not a list of [start, end] number pairs reads as nothing received. */
export function readRanges(value: unknown): TRanges {
  if (!Array.isArray(value)) return [];
  return value.filter((pair): pair is [number, number] => Array.isArray(pair) && pair.length === 2 && pair.every((n) => Number.isSafeInteger(n)));
}
