import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import {
  type GroupedColumns,
  type GroupedColumnsOptions,
  GroupPass,
  HAND_BACK,
} from "./group-pass.js";
import { delimiterFor } from "./table-format.js";

/**
 * A delimited-text file's rows split into groups, read in one streaming pass for grouped fits:
 * the group columns' values become a key index and the numeric columns go straight into
 * growing Float64Arrays — no per-row string records, so memory is a few bytes per cell
 * (the table reader holds every requested cell as a string first: 1.2 GB for 2.4 M rows).
 *
 * It reads the common case only and hands everything else back (returns null) to the table
 * reader (`table.ts`), which then gives the same result or its own located error: a quote
 * anywhere, a field with whitespace or a non-ASCII character at either end (csv-parse's trim
 * rules), a row whose field count differs from the header's, an empty group value, a value
 * that is not a number, a file it cannot open or a zip archive. Header errors (a requested
 * column that is missing or repeated) are the table reader's own message, from the same
 * `findColumns`. So the values are those of the table reader on every file it accepts.
 *
 * Group g is rows offsets[g] … offsets[g + 1] − 1 of each column, each group's rows in file
 * order; groups in order of first appearance; a row whose group value is an `na` token is
 * dropped; an `na` token in a numeric column is NaN.
 */
export type { GroupedColumns, GroupedColumnsOptions };

const CHUNK_BYTES = 1 << 20;

export function streamGroupedColumns(
  path: string,
  options: GroupedColumnsOptions,
): GroupedColumns | null {
  const delimiter = delimiterFor(path, options.delimiter);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null; // the table reader names the problem
  }
  try {
    const source: ByteSource = {
      read: (into) => readSync(fd, into, 0, into.length, null),
      size: () => fstatSync(fd).size,
    };
    return readGroups(source, path, delimiter, options, null);
  } finally {
    closeSync(fd);
  }
}

/**
 * The same pass over a part of a file already in memory: its header line and a run of its
 * data lines (`group-ranges.ts` cuts a grouped file into such ranges for worker threads).
 * Null when a line needs the table reader, as above — except a value that is no number in an
 * otherwise plain line, which is the table reader's error right here, at `firstLine` + the
 * lines before it in `bytes` (so a worker names it without the file being read whole).
 */
export function groupedColumnsFromBytes(
  path: string,
  headerLine: string,
  bytes: Uint8Array,
  options: GroupedColumnsOptions,
  firstLine: number | null = null,
): GroupedColumns | null {
  // The header's line as the pass sees it: right before the range.
  const header = firstLine === null ? null : firstLine - 1;
  const pass = new GroupPass(path, delimiterFor(path, options.delimiter), options, header);
  if (!pass.na.exact) return null;
  // Room for the rows at once, made with the header's columns (lines of 16 bytes or more;
  // shorter ones grow the columns).
  pass.capacity = Math.max(16, Math.ceil(bytes.length / 16));
  // The header line first, as the file's first bytes (a zip archive, a BOM), then the range's
  // bytes where they are, read whole (no copy of them behind the header, as a file's chunks
  // are copied into the pass's buffer); a blank header line leaves the header to the range.
  const head = Buffer.from(`${headerLine}\n`, "utf8");
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) return null;
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  if (pass.lines(head, bom, head.length, false) !== head.length) return null;
  const b = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (pass.lines(b, 0, b.length, true) === HAND_BACK) return null;
  // The columns as views: a range's columns live as long as its fit.
  return pass.result(false);
}

/** Where the pass reads its bytes: a file, or a part of one in memory. */
interface ByteSource {
  /** Fills `into` from the start; 0 at the end. */
  read(into: Buffer): number;
  size(): number;
}

/**
 * The chunk loop: bytes read a chunk at a time into one buffer, the whole lines in it read by
 * the pass, and the bytes of a line the chunk cut moved to the buffer's start, ahead of the
 * next chunk (so a line, or a UTF-8 character in it, split by a chunk's end is read whole).
 * Null as soon as a line needs the table reader.
 */
function readGroups(
  bytes: ByteSource,
  path: string,
  delimiter: string,
  options: GroupedColumnsOptions,
  /** The first line's number, to name a bad number's line (null: hand it back, as any other). */
  firstLine: number | null,
): GroupedColumns | null {
  const pass = new GroupPass(path, delimiter, options, firstLine);
  // An na token that invalid UTF-8 could equal as text only: the table reader compares text.
  if (!pass.na.exact) return null;
  // A range in memory is read in one go (and needs no megabyte of buffer).
  const chunk = Math.max(1, options.chunkBytes ?? CHUNK_BYTES);
  let buffer = Buffer.allocUnsafe(Math.min(chunk, bytes.size() + 1));
  let kept = 0; // bytes of a cut line at buffer[0, kept)
  let started = false; // the file's first bytes looked at (a zip archive, a BOM)
  let chunks = 0;
  for (;;) {
    if (kept === buffer.length) {
      // A line longer than the buffer: room for it and one more chunk.
      const larger = Buffer.allocUnsafe(kept + chunk);
      buffer.copy(larger, 0, 0, kept);
      buffer = larger;
    }
    const read = bytes.read(buffer.subarray(kept));
    const limit = kept + read;
    const atEnd = read === 0;
    let pos = 0;
    if (!started) {
      // The first four bytes decide (fewer only in a file that short).
      if (limit < 4 && !atEnd) {
        kept = limit;
        continue;
      }
      if (limit >= 4 && buffer.readUInt32BE(0) === 0x504b0304) return null; // a zip archive
      if (limit >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) pos = 3;
      started = true;
    }
    pos = pass.lines(buffer, pos, limit, atEnd);
    if (pos === HAND_BACK) return null;
    if (!atEnd && chunks++ === 0 && pass.rows > 0) {
      // From the first chunk's rows per byte, room for the whole file once (5 % spare), so
      // the columns are not doubled (and copied) a dozen times.
      const estimate = Math.ceil(((pass.rows * bytes.size()) / read) * 1.05) + 1024;
      if (estimate > pass.capacity) pass.resize(estimate);
    }
    if (atEnd) break;
    buffer.copyWithin(0, pos, limit);
    kept = limit - pos;
  }
  return pass.result();
}
