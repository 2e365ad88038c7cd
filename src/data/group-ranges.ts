import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { ByteKeySet } from "./byte-key-set.js";
import { findColumns, textHeader } from "./header.js";
import { delimiterFor } from "./table-format.js";

/**
 * A file grouped by its group columns (each group's rows one after another) cut into ranges
 * of whole groups as it is read: per line only the group fields are looked at, as bytes (no
 * string per row, no numbers), so the reading thread does little per row and hands each
 * range's bytes to whoever parses and fits them (`groupedColumnsFromBytes`, a worker thread).
 * Memory is the ranges not yet taken plus one string per group (to notice a group that comes
 * back).
 *
 * The scan gives up (`next()` returns "ungrouped") where the whole-file reader is needed: a
 * group that comes back after another one started, a quote or a CR anywhere, an empty group
 * value or one with whitespace or a non-ASCII byte at either end, a two-character delimiter,
 * a group column also read as a number. A range may still hold a line the fast parser hands
 * back (a field count, a value that is no number): its parser says so.
 */
export interface GroupRange {
  /** Index of its first group in the file's order of groups. */
  first: number;
  /** Groups in it (the last range may hold fewer). */
  count: number;
  /** 1-based line number of its first line. */
  firstLine: number;
  /**
   * Its lines, whole, with their line ends: a buffer of its own (the whole of its
   * ArrayBuffer), so it can be transferred to another thread.
   */
  bytes: Uint8Array;
}

export interface GroupRangesOptions {
  groupColumns: readonly string[];
  numeric: readonly string[];
  delimiter?: string;
  na?: readonly string[];
  groupsPerRange: number;
  /** Bytes read at a time (default 1 MiB). */
  readBytes?: number;
}

export interface GroupRanges {
  /** The header line as text (without its line end). */
  readonly headerLine: string;
  /** Bytes scanned so far (read and cut into lines), of `size`. */
  bytesScanned(): number;
  readonly size: number;
  /** Groups found so far. */
  groups(): number;
  /** The next range; null at the end; "ungrouped" when the scan must give up (see above). */
  next(): GroupRange | null | "ungrouped";
  close(): void;
}

/**
 * Opens the scan and reads the header. Null when the fast path does not apply from the start
 * (a file it cannot open, a zip archive, a header it cannot read as plain fields): the caller
 * reads the file whole, and the table reader names any problem. A requested column missing
 * from the header is the table reader's own error (the same `findColumns`).
 */
export function openGroupRanges(path: string, options: GroupRangesOptions): GroupRanges | null {
  const delimiter = delimiterFor(path, options.delimiter);
  if (delimiter.length !== 1) return null;
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const scan = startScan(fd, path, delimiter, options);
    if (scan === null) closeSync(fd);
    return scan;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Bytes of the first read (then `readBytes` a read): see `more`. */
const FIRST_READ = 1 << 14;

function startScan(
  fd: number,
  path: string,
  delimiter: string,
  options: GroupRangesOptions,
): GroupRanges | null {
  const size = fstatSync(fd).size;
  const readBytes = options.readBytes ?? 1 << 20;
  const sep = delimiter.charCodeAt(0);
  const naTokens = (options.na ?? []).map((t) => Buffer.from(t.trim(), "utf8"));
  // `win` holds the file's bytes from the start of the range being cut to the last byte read:
  // a view of `buf` from `winAt`, one buffer read into again and again (a fresh megabyte per
  // read cost more in page faults than the scan; the ranges cut are copies, see `cut`).
  let buf = Buffer.allocUnsafeSlow(readBytes + (1 << 16));
  let winAt = 0;
  let win = buf.subarray(0, 0);
  let read = 0;
  let ended = false;
  let bad = false;
  const more = (): boolean => {
    if (ended) return false;
    // The window's bytes (the range being cut: a few kilobytes) moved to the buffer's start,
    // the new ones read after them.
    const keep = win.length;
    if (keep + readBytes > buf.length) {
      const larger = Buffer.allocUnsafeSlow(2 * keep + readBytes);
      win.copy(larger, 0, 0, keep);
      buf = larger;
    } else if (winAt > 0) buf.copyWithin(0, winAt, winAt + keep);
    winAt = 0;
    // The first read is short so that `next` runs out of window, and calls this, within its
    // first few ranges: a refill first met after V8 had compiled `next` (at 1 MiB) threw the
    // compiled scan away for want of feedback and compiled it again, once every run.
    const n = readSync(
      fd,
      buf,
      keep,
      read === 0 ? Math.min(readBytes, FIRST_READ) : readBytes,
      null,
    );
    if (n === 0) {
      ended = true;
      win = buf.subarray(0, keep);
      return false;
    }
    const got = buf.subarray(keep, keep + n);
    // A quote or a CR: the whole-file reader's (quoting rules, CR line ends).
    // From 0 given: with no offset, Buffer#indexOf's internals (compiled for the scan's integer
    // offsets) are thrown away for a non-integer one at the first refill.
    if (got.indexOf(34, 0) >= 0 || got.indexOf(13, 0) >= 0) bad = true;
    if (read === 0 && n >= 4 && got.readUInt32BE(0) === 0x504b0304) bad = true; // a zip
    read += n;
    win = buf.subarray(0, keep + n);
    return true;
  };
  /** The window's start moved `k` bytes on. */
  const advance = (k: number) => {
    win = win.subarray(k);
    winAt += k;
  };

  // The header: the first non-empty line.
  let pos = 0;
  let line = 1;
  let headerLine: string | null = null;
  while (headerLine === null) {
    const nl = win.indexOf(10, pos);
    if (nl < 0) {
      if (more() && !bad) continue;
      return null; // no header line in the file, or an odd one: the table reader says so
    }
    if (bad) return null;
    let from = pos;
    if (line === 1 && win[0] === 0xef && win[1] === 0xbb && win[2] === 0xbf) from = 3; // BOM
    if (nl > from) headerLine = win.toString("utf8", from, nl);
    pos = nl + 1;
    line++;
  }
  const fields = headerLine.split(delimiter);
  for (const f of fields) if (!plainText(f)) return null;
  const names = [...new Set([...options.groupColumns, ...options.numeric])];
  const at = findColumns(fields, names, textHeader(path, line - 1, delimiter));
  const groupFields = options.groupColumns.map((n) => at[names.indexOf(n)]!);
  const numericFields = options.numeric.map((n) => at[names.indexOf(n)]!);
  if (groupFields.some((f) => numericFields.includes(f))) return null;
  // Group fields by position: where each starts on a line is found walking the delimiters.
  const order = groupFields.map((f, k) => ({ f, k })).sort((a, b) => a.f - b.f);

  advance(pos);
  pos = 0;
  let rangeLine = line; // the line number of win[0], where the range being cut starts
  let linesInRange = 0; // line ends passed from win[0] to pos
  const seen = new ByteKeySet();
  let groups = 0;
  let inRange = 0; // groups in the range being cut
  // The last kept row's group values, copied into buffers reused from group to group (a view
  // and an array per group were most of the scan's garbage); none before the first row.
  let hasPrevious = false;
  const previous = groupFields.map(() => new Uint8Array(64));
  const previousLength = new Int32Array(groupFields.length);
  const current: [number, number][] = groupFields.map(() => [0, 0]);
  const skipped = new Int32Array(1);

  // Fields are found and compared in byte loops (a few bytes each); a line's end is found by
  // Buffer#indexOf, about 12 ns a call on Node 20 (measured: less than a byte loop over the
  // ~20 bytes of a typical line).
  /** The group fields of the line win[start, end): false when too few fields. */
  const locate = (start: number, end: number): boolean => {
    let field = 0;
    let from = start;
    for (let o = 0; o < order.length; o++) {
      const { f, k } = order[o]!;
      while (field < f) {
        let d = from;
        while (d < end && win[d] !== sep) d++;
        if (d === end) return false;
        from = d + 1;
        field++;
      }
      let to = from;
      while (to < end && win[to] !== sep) to++;
      current[k]![0] = from;
      current[k]![1] = to;
    }
    return true;
  };
  /** value[0, length) equals win[from, to). */
  const equalBytes = (value: Uint8Array, length: number, from: number, to: number) => {
    if (length !== to - from) return false;
    for (let i = 0; i < length; i++) if (value[i] !== win[from + i]) return false;
    return true;
  };
  const isNa = (from: number, to: number) =>
    naTokens.some((t) => equalBytes(t, t.length, from, to));
  const sameAsPrevious = () => {
    if (!hasPrevious) return false;
    for (let k = 0; k < current.length; k++) {
      if (!equalBytes(previous[k]!, previousLength[k]!, current[k]![0], current[k]![1])) {
        return false;
      }
    }
    return true;
  };
  // Several group values make one key: each value's length (4 bytes) then its bytes.
  let joined = new Uint8Array(64);
  /** Adds the current line's group values to `seen`: false when they were there. */
  const addKey = (): boolean => {
    if (current.length === 1) return seen.add(win, current[0]![0], current[0]![1]);
    let n = 0;
    for (const [from, to] of current) {
      if (joined.length < n + 4 + to - from) {
        const larger = new Uint8Array(2 * (n + 4 + to - from));
        larger.set(joined);
        joined = larger;
      }
      new DataView(joined.buffer).setInt32(n, to - from);
      joined.set(win.subarray(from, to), n + 4);
      n += 4 + to - from;
    }
    return seen.add(joined, 0, n);
  };
  /** The current line's group values become `previous`. */
  const keepPrevious = () => {
    for (let k = 0; k < current.length; k++) {
      const from = current[k]![0];
      const n = current[k]![1] - from;
      if (previous[k]!.length < n) previous[k] = new Uint8Array(2 * n);
      const into = previous[k]!;
      for (let i = 0; i < n; i++) into[i] = win[from + i]!;
      previousLength[k] = n;
    }
    hasPrevious = true;
  };
  /** The range win[0, end) out, the window moved past it. */
  const cut = (end: number): GroupRange => {
    // A copy in a buffer of its own (the window is read into again), which a worker thread
    // is sent by transfer (fit-groups-executor.ts): a range is copied once, wherever it goes.
    const bytes = Buffer.allocUnsafeSlow(end);
    win.copy(bytes, 0, 0, end);
    const range: GroupRange = {
      first: groups - inRange,
      count: inRange,
      firstLine: rangeLine,
      bytes,
    };
    advance(end);
    pos -= end;
    rangeLine += linesInRange;
    linesInRange = 0;
    inRange = 0;
    return range;
  };

  return {
    headerLine,
    size,
    bytesScanned: () => read - (win.length - Math.min(pos, win.length)),
    groups: () => groups,
    next() {
      for (;;) {
        if (bad) return "ungrouped";
        if (hasPrevious && previous.length === 1) {
          pos =
            groupFields[0] === 0
              ? skipGroupByKey(win, pos, sep, previous[0]!, previousLength[0]!, skipped)
              : skipSameGroup(
                  win,
                  pos,
                  sep,
                  groupFields[0]!,
                  previous[0]!,
                  previousLength[0]!,
                  skipped,
                );
          linesInRange += skipped[0]!;
        }
        let nl = win.indexOf(10, pos);
        if (nl < 0) nl = win.length;
        if (nl === win.length) {
          if (more()) continue;
          if (pos >= win.length) return inRange === 0 ? null : cut(win.length);
          // a last line without its end: nl is win.length
        }
        let out: GroupRange | null = null;
        if (nl > pos) {
          // Too few fields for a group column: the parser's error (through the table reader).
          if (!locate(pos, nl)) return "ungrouped";
          let dropped = false;
          for (let k = 0; k < current.length; k++) {
            const from = current[k]![0];
            const to = current[k]![1];
            if (naTokens.length > 0 && isNa(from, to)) dropped = true;
            else if (!plainBytes(win, from, to)) return "ungrouped";
          }
          if (!dropped && !sameAsPrevious()) {
            if (!addKey()) return "ungrouped"; // a group came back: not grouped
            keepPrevious();
            // A new group starts the next range when this one is full.
            if (inRange === options.groupsPerRange) {
              const from = pos;
              out = cut(pos);
              nl -= from;
            }
            groups++;
            inRange++;
          }
        }
        pos = nl + 1;
        linesInRange++;
        if (out !== null) return out;
      }
    },
    close: () => closeSync(fd),
  };
}

/**
 * `skipSameGroup` for a group field that is a line's first: the lines from `pos` on that
 * start with key[0, n) then a delimiter (or their end), each line end found by the runtime's
 * indexOf (about 12 ns a line on Node 20, less than a byte loop over the ~12 bytes after the
 * key). The first other line's start; the lines skipped in lines[0]; stops before a line it
 * cannot see whole.
 */
function skipGroupByKey(
  w: Buffer,
  pos: number,
  sep: number,
  key: Uint8Array,
  n: number,
  lines: Int32Array,
): number {
  const end = w.length;
  let count = 0;
  for (;;) {
    if (pos + n >= end) break;
    let k = 0;
    while (k < n && w[pos + k] === key[k]) k++;
    if (k < n) break;
    const c = w[pos + n];
    if (c !== sep && c !== 10) break;
    const nl = w.indexOf(10, pos + n);
    if (nl < 0) break;
    pos = nl + 1;
    count++;
  }
  lines[0] = count;
  return pos;
}

/**
 * The lines from `pos` on whose one group field (field `gf`) is key[0, keyLength), skipped
 * in one tight loop (most lines continue the group of the line before), each line's end found
 * by indexOf: the first other line's start, and the lines skipped in lines[0]. Stops before a
 * line it cannot see whole.
 */
function skipSameGroup(
  w: Buffer,
  pos: number,
  sep: number,
  gf: number,
  key: Uint8Array,
  keyLength: number,
  lines: Int32Array,
): number {
  const end = w.length;
  const n = keyLength;
  let count = 0;
  scan: for (;;) {
    let i = pos;
    for (let f = 0; f < gf; f++) {
      while (i < end && w[i] !== sep && w[i] !== 10) i++;
      if (i >= end || w[i] === 10) break scan;
      i++;
    }
    if (i + n >= end) break;
    for (let k = 0; k < n; k++) if (w[i + k] !== key[k]) break scan;
    const j = i + n;
    if (w[j] !== sep && w[j] !== 10) break;
    const nl = w.indexOf(10, j);
    if (nl < 0) break;
    pos = nl + 1;
    count++;
  }
  lines[0] = count;
  return pos;
}

/** A field the table reader reads as is: not empty, no whitespace or non-ASCII at its ends. */
function plainBytes(bytes: Buffer, from: number, to: number): boolean {
  if (from === to) return false;
  const a = bytes[from]!;
  const b = bytes[to - 1]!;
  return a > 32 && a < 127 && b > 32 && b < 127;
}

function plainText(field: string): boolean {
  if (field.length === 0) return true;
  const a = field.charCodeAt(0);
  const b = field.charCodeAt(field.length - 1);
  return a > 32 && a < 127 && b > 32 && b < 127;
}
