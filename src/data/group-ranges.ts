import { closeSync, fstatSync, openSync, readSync } from "node:fs";
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
   * Its lines, whole, with their line ends: a view of the bytes read (never written to), which
   * whoever sends it to another thread copies into a buffer of its own.
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
  // `win` holds the file's bytes from the start of the range being cut to the last byte read.
  let win = Buffer.alloc(0);
  let read = 0;
  let ended = false;
  let bad = false;
  const more = (): boolean => {
    if (ended) return false;
    // The window's bytes (the range being cut: a few kilobytes) then the new ones, read in
    // place rather than concatenated (which copied each megabyte read once more). A new buffer
    // each time: the ranges cut are views of the old one.
    const keep = win.length;
    const next = Buffer.allocUnsafe(keep + readBytes);
    next.set(win, 0);
    const n = readSync(fd, next, keep, readBytes, null);
    if (n === 0) {
      ended = true;
      return false;
    }
    const got = next.subarray(keep, keep + n);
    // A quote or a CR: the whole-file reader's (quoting rules, CR line ends).
    if (got.indexOf(34) >= 0 || got.indexOf(13) >= 0) bad = true;
    if (read === 0 && n >= 4 && got.readUInt32BE(0) === 0x504b0304) bad = true; // a zip
    read += n;
    win = next.subarray(0, keep + n);
    return true;
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

  win = win.subarray(pos);
  pos = 0;
  let rangeLine = line; // the line number of win[0], where the range being cut starts
  let linesInRange = 0; // line ends passed from win[0] to pos
  const seen = new Set<string>();
  let groups = 0;
  let inRange = 0; // groups in the range being cut
  // The last kept row's group values, copied into buffers reused from group to group (a view
  // and an array per group were most of the scan's garbage); none before the first row.
  let hasPrevious = false;
  const previous = groupFields.map(() => new Uint8Array(64));
  const previousLength = new Int32Array(groupFields.length);
  const current: [number, number][] = groupFields.map(() => [0, 0]);
  const skipped = new Int32Array(1);

  // Byte loops, not Buffer.indexOf/compare: a call into the runtime costs more than the ~20
  // bytes of a typical line (the scan was slower than the whole parse with them).
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
    const range: GroupRange = {
      first: groups - inRange,
      count: inRange,
      firstLine: rangeLine,
      // A view, not a copy: a range fitted in this thread is parsed from the bytes read, and
      // one sent to a worker is copied then (fit-groups-executor.ts).
      bytes: win.subarray(0, end),
    };
    win = win.subarray(end);
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
          pos = skipSameGroup(
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
        let nl = pos;
        while (nl < win.length && win[nl] !== 10) nl++;
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
            const [from, to] = current[k]!;
            if (naTokens.length > 0 && isNa(from, to)) dropped = true;
            else if (!plainBytes(win, from, to)) return "ungrouped";
          }
          if (!dropped && !sameAsPrevious()) {
            // Latin-1: one character per byte, so equal keys are equal bytes.
            const key =
              current.length === 1
                ? win.toString("latin1", current[0]![0], current[0]![1])
                : JSON.stringify(current.map(([from, to]) => win.toString("latin1", from, to)));
            if (seen.has(key)) return "ungrouped"; // a group came back: not grouped
            seen.add(key);
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
 * The lines from `pos` on whose one group field (field `gf`) is key[0, keyLength), skipped
 * in one tight loop (most lines continue the group of the line before): the first other
 * line's start, and the lines skipped in lines[0]. Stops before a line it cannot see whole.
 */
function skipSameGroup(
  w: Uint8Array,
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
    let j = i + n;
    if (w[j] !== sep && w[j] !== 10) break;
    while (j < end && w[j] !== 10) j++;
    if (j === end) break;
    pos = j + 1;
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
