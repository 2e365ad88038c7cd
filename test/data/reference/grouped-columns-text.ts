// A frozen copy of src/data/grouped-columns.ts as it was before the reader worked on bytes
// (main 3edd181): the oracle the byte reader's results and errors are compared against
// (grouped-bytes.test.ts). Not used by the library.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { InputError } from "../../../src/core/errors.js";
import { findColumns, textHeader } from "../../../src/data/header.js";
import { numberHint, parseNumber } from "../../../src/data/numbers.js";
import { delimiterFor, quote } from "../../../src/data/table-format.js";
import { parseNumberInto } from "./number-range.js";

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
export interface GroupedColumns {
  keys: string[][];
  offsets: Int32Array;
  columns: Float64Array[];
}

export interface GroupedColumnsOptions {
  groupColumns: readonly string[];
  numeric: readonly string[];
  delimiter?: string;
  na?: readonly string[];
}

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
  const parts = [Buffer.from(`${headerLine}\n`, "utf8"), bytes];
  let part = 0;
  let at = 0;
  const source: ByteSource = {
    read: (into) => {
      let n = 0;
      while (n < into.length && part < parts.length) {
        const from = parts[part]!;
        const take = Math.min(into.length - n, from.length - at);
        into.set(from.subarray(at, at + take), n);
        n += take;
        at += take;
        if (at === from.length) {
          part++;
          at = 0;
        }
      }
      return n;
    },
    size: () => parts[0]!.length + bytes.length,
  };
  // The header's line as the pass sees it: right before the range.
  const header = firstLine === null ? null : firstLine - 1;
  return readGroups(source, path, delimiterFor(path, options.delimiter), options, header);
}

/** Where the pass reads its bytes: a file, or a part of one in memory. */
interface ByteSource {
  /** Fills `into` from the start; 0 at the end. */
  read(into: Buffer): number;
  size(): number;
}

/** The pass itself; null as soon as a line needs the table reader. */
function readGroups(
  bytes: ByteSource,
  path: string,
  delimiter: string,
  options: GroupedColumnsOptions,
  /** The first line's number, to name a bad number's line (null: hand it back, as any other). */
  firstLine: number | null,
): GroupedColumns | null {
  return new GroupPass(path, delimiter, options, firstLine).run(bytes);
}

/**
 * One pass's state, with the steps as methods: compiled once per thread and shared by every
 * pass (closures made per call were recompiled by the optimizer for each range a worker read).
 */
class GroupPass {
  /** The line row() is looking at. */
  line: number;
  readonly na: Set<string>;
  readonly naTokens: string[];
  readonly names: string[];
  groupFields: number[] | null = null;
  numericFields: number[] = [];
  width = 0;
  headerLine = 1;
  readonly byKey = new Map<string, number>();
  readonly keys: string[][] = [];
  // Each row's group, made only once a group comes back after another one started: while the
  // groups come one after another (the usual file) their first rows are all it takes.
  groupOf: Int32Array | null = null;
  readonly starts: number[] = [];
  capacity = 1024;
  values: Float64Array[] = [];
  rows = 0;
  // Per field of a row: its group column (−1: none) and numeric column (−1: none).
  groupAt = new Int32Array(0);
  numericAt = new Int32Array(0);
  overlap = false; // a column both grouped and numeric: the split-based reading
  groupValues: string[] = [];
  // The group of the last row kept, whose values `groupValues` still holds (−1: none).
  lastGroup = -1;
  quoteFree = false; // the chunk being read has no quote character
  readonly numFrom: Int32Array;
  readonly numTo: Int32Array;
  readonly sep: number;

  constructor(
    readonly path: string,
    readonly delimiter: string,
    readonly options: GroupedColumnsOptions,
    readonly firstLine: number | null,
  ) {
    this.line = (firstLine ?? 1) - 1;
    this.na = new Set((options.na ?? []).map((t) => t.trim()));
    this.naTokens = [...this.na];
    this.names = [...new Set([...options.groupColumns, ...options.numeric])];
    this.numFrom = new Int32Array(options.numeric.length);
    this.numTo = new Int32Array(options.numeric.length);
    this.sep = delimiter.charCodeAt(0);
  }

  run(bytes: ByteSource): GroupedColumns | null {
    const decoder = new StringDecoder("utf8");
    // A range in memory is read in one go (and needs no megabyte of buffer).
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, bytes.size() + 1));
    let carry = "";
    let first = true;
    let chunks = 0;
    for (;;) {
      const read = bytes.read(buffer);
      let text = carry + (read > 0 ? decoder.write(buffer.subarray(0, read)) : decoder.end());
      if (first) {
        if (read >= 4 && buffer.readUInt32BE(0) === 0x504b0304) return null; // a zip archive
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      // One line string at a time (an array of a chunk's lines would outlive the young
      // generation and pile up as garbage). A line without its ending, or a CR that may be the
      // first half of a CRLF, waits for the next chunk.
      let pos = 0;
      // Without a CR in the chunk, a line ends at the next LF: found by indexOf, not by a loop.
      const lfOnly = text.indexOf("\r") < 0;
      this.quoteFree = text.indexOf('"') < 0;
      for (;;) {
        let at = pos;
        let c = 0;
        if (lfOnly) {
          at = text.indexOf("\n", pos);
          if (at < 0) at = text.length;
          else c = 10;
        } else {
          for (; at < text.length; at++) {
            c = text.charCodeAt(at);
            if (c === 10 || c === 13) break;
          }
        }
        if (read > 0 && (at === text.length || (c === 13 && at === text.length - 1))) break;
        if (at === text.length && pos === at) break;
        if (!this.row(text, pos, at)) return null;
        pos = at + (c === 13 && text.charCodeAt(at + 1) === 10 ? 2 : 1);
        if (pos > text.length) break;
      }
      carry = read > 0 ? text.slice(pos) : "";
      if (read > 0 && chunks++ === 0 && this.rows > 0) {
        // From the first chunk's rows per byte, room for the whole file once (5 % spare), so
        // the columns are not doubled (and copied) a dozen times.
        const estimate = Math.ceil(((this.rows * bytes.size()) / read) * 1.05) + 1024;
        if (estimate > this.capacity) this.resize(estimate);
      }
      if (read === 0) break;
    }
    return this.result();
  }

  result(): GroupedColumns | null {
    const { keys, starts, rows, values } = this;
    if (this.groupFields === null) return null; // no header: the table reader says so
    if (this.groupOf !== null) return byGroup(keys, this.groupOf.subarray(0, rows), values);
    // The rows are in group order as read: the columns as they are (a view when the spare room
    // the first chunk's estimate left is small).
    const offsets = Int32Array.from({ length: keys.length + 1 }, (_, g) => starts[g] ?? rows);
    const columns = values.map((v) =>
      rows >= 0.9 * v.length ? v.subarray(0, rows) : v.slice(0, rows),
    );
    return { keys, offsets, columns };
  }

  header(text: string): boolean {
    const { delimiter, names, options } = this;
    const fields = text.split(delimiter);
    for (const f of fields) if (!plain(f)) return false;
    const at = findColumns(fields, names, textHeader(this.path, this.headerLine, delimiter));
    const groupFields = options.groupColumns.map((n) => at[names.indexOf(n)]!);
    const numericFields = options.numeric.map((n) => at[names.indexOf(n)]!);
    this.groupFields = groupFields;
    this.numericFields = numericFields;
    this.values = numericFields.map(() => new Float64Array(1024));
    this.width = fields.length;
    const groupAt = new Int32Array(this.width).fill(-1);
    const numericAt = new Int32Array(this.width).fill(-1);
    let overlap = false;
    for (const [k, f] of groupFields.entries()) groupAt[f] = k;
    for (const [k, f] of numericFields.entries()) {
      overlap ||= groupAt[f]! >= 0 || numericAt[f]! >= 0;
      numericAt[f] = k;
    }
    this.groupAt = groupAt;
    this.numericAt = numericAt;
    this.overlap = overlap || delimiter.length !== 1;
    this.groupValues = new Array(groupFields.length).fill("");
    return true;
  }

  /** A field equal to an na token, compared in place. */
  isNa(text: string, from: number, to: number): boolean {
    for (const t of this.naTokens) {
      if (t.length !== to - from) continue;
      let k = 0;
      while (k < t.length && t.charCodeAt(k) === text.charCodeAt(from + k)) k++;
      if (k === t.length) return true;
    }
    return false;
  }

  /**
   * One line, text[start, end): the header, else a data row scanned by character code (no
   * split, no string per numeric field) with the checks and values of splitting the line and
   * reading each field — which is what `splitRow` does for the rare layouts this cannot.
   */
  row(text: string, start: number, end: number): boolean {
    this.line++;
    if (start === end) {
      if (this.groupFields === null) this.headerLine++;
      return true;
    }
    if (this.groupFields === null) return this.header(text.slice(start, end));
    if (this.overlap) return this.splitRow(text.slice(start, end));
    const { width, groupAt, numericAt, groupValues, numFrom, numTo, delimiter, sep } = this;
    const quoteFree = this.quoteFree;
    const hasNa = this.naTokens.length > 0;
    let field = 0;
    let dropped = false;
    // Whether every group field so far equals the previous row's (rows of a group are
    // usually together): then the row joins that group without a key string or a lookup.
    let same = this.lastGroup >= 0;
    let from = start;
    for (;;) {
      // The field's end: by indexOf in a chunk without quotes, else by a loop that stops at one.
      let i = end;
      if (quoteFree) {
        const at = text.indexOf(delimiter, from);
        if (at >= 0 && at < end) i = at;
      } else {
        for (i = from; i < end; i++) {
          const c = text.charCodeAt(i);
          if (c === sep) break;
          if (c === 34) return false; // a quote: the table reader's
        }
      }
      if (field >= width || !plainEdges(text, from, i)) return false;
      const g = groupAt[field]!;
      if (g >= 0) {
        if (hasNa && this.isNa(text, from, i)) dropped = true;
        else if (from === i) return false;
        else if (!(same && equalsRange(groupValues[g]!, text, from, i))) {
          same = false;
          groupValues[g] = text.slice(from, i);
        }
      }
      const k = numericAt[field]!;
      if (k >= 0) {
        numFrom[k] = from;
        numTo[k] = i;
      }
      field++;
      if (i === end) break;
      from = i + 1;
    }
    if (field !== width) return false;
    if (dropped) {
      if (!same) this.lastGroup = -1; // groupValues was overwritten
      return true;
    }
    const at = this.slot();
    const values = this.values;
    for (let k = 0; k < numFrom.length; k++) {
      if (hasNa && this.isNa(text, numFrom[k]!, numTo[k]!)) values[k]![at] = Number.NaN;
      else if (!parseNumberInto(text, numFrom[k]!, numTo[k]!, values[k]!, at)) {
        if (this.firstLine === null || numFrom[k] === numTo[k]) return false;
        this.badNumber(text.slice(numFrom[k]!, numTo[k]!), k);
      }
    }
    if (same) {
      if (this.groupOf !== null) this.groupOf[at] = this.lastGroup;
      this.rows = at + 1;
      return true;
    }
    return this.keep(at);
  }

  /** The table reader's error for numeric column k's field `raw` on this line. */
  badNumber(raw: string, k: number): never {
    throw new InputError(
      `${this.path}:${this.line}:${this.numericFields[k]! + 1}: column "${this.options.numeric[k]}": expected a number, got ${quote(raw)}${numberHint(raw)}`,
    );
  }

  /** The same by splitting the line (a two-unit delimiter, or a column used twice). */
  splitRow(text: string): boolean {
    const { na, groupValues, numericFields } = this;
    const fields = text.split(this.delimiter);
    for (const f of fields) if (!plain(f)) return false;
    if (fields.length !== this.width) return false;
    this.lastGroup = -1; // groupValues is overwritten below
    let dropped = false;
    for (const [k, f] of this.groupFields!.entries()) {
      const v = fields[f]!;
      if (na.has(v)) dropped = true;
      else if (v === "") return false;
      groupValues[k] = v;
    }
    if (dropped) return true;
    const at = this.slot();
    for (let k = 0; k < numericFields.length; k++) {
      const raw = fields[numericFields[k]!]!;
      let v = Number.NaN;
      if (!na.has(raw)) {
        const parsed = parseNumber(raw);
        if (parsed === undefined) return false;
        v = parsed;
      }
      this.values[k]![at] = v;
    }
    return this.keep(at);
  }

  resize(size: number): void {
    this.capacity = size;
    if (this.groupOf !== null) this.groupOf = grow(this.groupOf, new Int32Array(size));
    this.values = this.values.map((c) => grow(c, new Float64Array(size)));
  }

  /** The next row's index in the columns, growing them when full. */
  slot(): number {
    if (this.rows === this.capacity) this.resize(Math.ceil(1.5 * this.rows));
    return this.rows;
  }

  /** Row `at` (its numbers written) joins its group. */
  keep(at: number): boolean {
    const { groupValues, keys, starts } = this;
    const id = groupValues.length === 1 ? groupValues[0]! : JSON.stringify(groupValues);
    let g = this.byKey.get(id);
    if (g === undefined) {
      g = keys.length;
      this.byKey.set(id, g);
      keys.push(groupValues.slice());
      starts.push(at);
    } else if (this.groupOf === null && g !== keys.length - 1) {
      const groupOf = new Int32Array(this.capacity);
      for (let k = 0; k < keys.length; k++) groupOf.fill(k, starts[k]!, starts[k + 1] ?? at);
      this.groupOf = groupOf;
    }
    if (this.groupOf !== null) this.groupOf[at] = g;
    this.rows = at + 1;
    this.lastGroup = g;
    return true;
  }
}

/** plain() of text[from, to) without the string, the quote already ruled out by the caller. */
function plainEdges(text: string, from: number, to: number): boolean {
  if (from === to) return true;
  const a = text.charCodeAt(from);
  const b = text.charCodeAt(to - 1);
  return a > 32 && a < 127 && b > 32 && b < 127;
}

/** value === text.slice(from, to), without the slice. */
function equalsRange(value: string, text: string, from: number, to: number): boolean {
  if (value.length !== to - from) return false;
  for (let k = 0; k < value.length; k++)
    if (value.charCodeAt(k) !== text.charCodeAt(from + k)) return false;
  return true;
}

/** A field the table reader would read the same way without trimming or unquoting. */
function plain(field: string): boolean {
  if (field.includes('"')) return false;
  if (field.length === 0) return true;
  const a = field.charCodeAt(0);
  const b = field.charCodeAt(field.length - 1);
  return a > 32 && a < 127 && b > 32 && b < 127;
}

function grow<T extends Int32Array | Float64Array>(from: T, into: T): T {
  into.set(from);
  return into;
}

/** Counting sort by group: each group's rows stay in file order. */
function byGroup(keys: string[][], groupOf: Int32Array, values: Float64Array[]): GroupedColumns {
  const offsets = new Int32Array(keys.length + 1);
  for (let i = 0; i < groupOf.length; i++) offsets[groupOf[i]! + 1]!++;
  for (let g = 0; g < keys.length; g++) offsets[g + 1]! += offsets[g]!;
  const slot = Int32Array.from(offsets.subarray(0, keys.length));
  const order = new Int32Array(groupOf.length);
  for (let i = 0; i < groupOf.length; i++) order[slot[groupOf[i]!]!++] = i;
  // A plain loop: Float64Array.from(order, f) goes through an iterator and a list of boxed
  // numbers, tens of MB of garbage for a few million rows.
  const columns = values.map((v) => {
    const out = new Float64Array(order.length);
    for (let k = 0; k < order.length; k++) out[k] = v[order[k]!]!;
    return out;
  });
  return { keys, offsets, columns };
}
