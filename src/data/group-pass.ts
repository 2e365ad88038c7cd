import { InputError } from "../core/errors.js";
import { byGroup } from "./group-order.js";
import { findColumns, textHeader } from "./header.js";
import { NaMatch } from "./na-match.js";
import { EXACT_POW10, parseNumberBytes, scanNumberBytes } from "./number-bytes.js";
import { numberHint, parseNumber } from "./numbers.js";
import { packedMap } from "./packed-map.js";
import { lineEnd, nextLine } from "./plain-rows.js";
import { quote } from "./table-format.js";

/** A grouped read's result (see grouped-columns.ts). */
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
  /** Bytes read at a time (default 1 MiB; small in tests, to cross chunk boundaries). */
  chunkBytes?: number;
}

/** What `lines()` says besides a position: the line needs the table reader. */
export const HAND_BACK = -1;

// Byte classes for the field scan: 0 for a byte inside a plain field; a delimiter, LF, CR or
// a quote (which hands the line back) stop it. One table load per byte, not four compares.
const STOP = 1;

/**
 * One pass's state, with the steps as methods (compiled once per thread and shared by every
 * pass: closures made per call were recompiled for each range a worker read). It is fed the
 * bytes of a chunk at a time (`lines`) and reads the whole lines in it; a line cut by the
 * chunk's end is left for the next chunk, with the bytes after it.
 *
 * The checks and values are those of the text reader it replaces (splitting each line into
 * strings and reading each field): a field's edges are checked on bytes (a byte ≥ 128 at an
 * edge is exactly a non-ASCII character there), numbers are parsed from bytes, a group value
 * becomes a string only when it differs from the previous row's (one string per group in a
 * grouped file), and groups are told apart by those strings (so two byte sequences that decode
 * to the same text are one group, as they were).
 */
export class GroupPass {
  /** The line last read. */
  line: number;
  readonly na: NaMatch;
  readonly naText: Set<string>;
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
  // A column both grouped and numeric, or a delimiter that is not one ASCII byte: each line
  // is decoded and split (`splitRow`), as rare as it is.
  split = false;
  // One group column, the first field (and more after it): see `row`.
  keyFirst = false;
  // The group of the last row kept (−1: none), and its group values' bytes (`previous`).
  lastGroup = -1;
  previous: Uint8Array[] = [];
  previousLength = new Int32Array(0);
  readonly groupFrom: Int32Array;
  readonly groupTo: Int32Array;
  readonly numFrom: Int32Array;
  readonly numTo: Int32Array;
  readonly stops: Uint8Array;
  /** The delimiter's byte (when `split` is false). */
  readonly sep: number;

  constructor(
    readonly path: string,
    readonly delimiter: string,
    readonly options: GroupedColumnsOptions,
    /** The first line's number, to name a bad number's line (null: hand it back). */
    readonly firstLine: number | null,
  ) {
    this.line = (firstLine ?? 1) - 1;
    this.na = new NaMatch(options.na ?? []);
    this.naText = new Set((options.na ?? []).map((t) => t.trim()));
    this.names = [...new Set([...options.groupColumns, ...options.numeric])];
    this.groupFrom = new Int32Array(options.groupColumns.length);
    this.groupTo = new Int32Array(options.groupColumns.length);
    this.numFrom = new Int32Array(options.numeric.length);
    this.numTo = new Int32Array(options.numeric.length);
    const sep = delimiter.charCodeAt(0);
    this.sep = sep;
    this.split = delimiter.length !== 1 || sep > 127;
    this.stops = stopsFor(sep);
  }

  /**
   * The whole lines of b[pos, limit): the position after the last one read (where the next
   * chunk's bytes continue), or HAND_BACK. With `atEnd` the bytes end the input, so a last
   * line without its line end is read too; else a line that reaches `limit`, or a CR at
   * `limit − 1` (half of a CRLF, perhaps), waits.
   */
  lines(b: Buffer, pos: number, limit: number, atEnd: boolean): number {
    while (pos < limit) {
      const c = b[pos]!;
      if (c === 10 || c === 13) {
        // A blank line (before the header, it moves the header's line number).
        if (c === 13 && pos === limit - 1 && !atEnd) return pos;
        this.line++;
        if (this.groupFields === null) this.headerLine++;
        pos = nextLine(b, pos, limit);
        continue;
      }
      let next: number;
      if (this.groupFields === null || this.split) {
        const end = lineEnd(b, pos, limit);
        if (!atEnd && (end === limit || (end === limit - 1 && b[end] === 13))) return pos;
        this.line++;
        const text = b.toString("utf8", pos, end);
        const ok = this.groupFields === null ? this.header(text) : this.splitRow(text);
        if (!ok) return HAND_BACK;
        next = nextLine(b, end, limit);
      } else {
        if (this.keyFirst && this.lastGroup >= 0) {
          pos = this.knownRows(b, pos, limit);
          // The chunk's end or a blank line: the loop's top sees to them.
          if (pos >= limit || b[pos] === 10 || b[pos] === 13) continue;
        }
        next = this.row(b, pos, limit, atEnd);
        if (next === HAND_BACK) return HAND_BACK;
        if (next === pos) return pos; // the line goes on in the next chunk
      }
      pos = next;
    }
    return pos;
  }

  /**
   * The usual lines of a grouped file from `pos` on, each read in one pass: the previous row's
   * group value first (`keyFirst`), then each numeric field's number read as its end is looked
   * for (not a scan for the end and then a parse of the bytes again). Returns the start of the
   * first line that is anything else — a new group, a field that is not one plain number (an
   * na token, an empty field, a quote), another field count, a blank line, the chunk's end —
   * which `row` then reads from its start as if this had not been tried (nothing of a line is
   * kept until it is read whole; a value written into the free slot is overwritten or left
   * unused). Lines in a loop here, not a call each: the call and its setup cost as much as a
   * line's checks.
   */
  knownRows(b: Buffer, pos: number, limit: number): number {
    const p = this.previous[0]!;
    const n = this.previousLength[0]!;
    const { sep, width, numericAt, stops, na, lastGroup } = this;
    const hasNa = !na.empty;
    const last = width - 1;
    lines: for (;;) {
      const start = pos;
      let i = start + n;
      if (i >= limit || b[i] !== sep) break;
      for (let q = 0; q < n; q++) if (b[start + q] !== p[q]) break lines;
      const at = this.slot();
      const values = this.values; // after `slot`, which may grow the columns
      for (let field = 1; ; field++) {
        const from = ++i; // past the delimiter
        const k = numericAt[field]!;
        if (k >= 0) {
          // A number's bytes are all printable ASCII, so its field passes the edge check. The
          // usual one, `-?\d*(\.\d*)?` with 1 to 15 digits and its field's end right after, is
          // read here, with scanNumberBytes's value (m / 10^fraction, one rounding: a call per
          // field cost more than its digits); any other form is read there.
          let j = from;
          const negative = b[j] === 45;
          if (negative) j++;
          const intFrom = j;
          let m = 0;
          for (; j < limit; j++) {
            const d = b[j]! - 48;
            if (d < 0 || d > 9) break;
            m = m * 10 + d;
          }
          let digits = j - intFrom;
          let fraction = 0;
          if (j < limit && b[j] === 46) {
            const fracFrom = ++j;
            for (; j < limit; j++) {
              const d = b[j]! - 48;
              if (d < 0 || d > 9) break;
              m = m * 10 + d;
            }
            fraction = j - fracFrom;
            digits += fraction;
          }
          const c = j < limit ? b[j]! : -1;
          if (digits > 0 && digits <= 15 && (c === sep || c === 10 || c === 13)) {
            const value = fraction > 0 ? m / EXACT_POW10[fraction]! : m;
            values[k]![at] = negative ? -value : value;
            i = j;
          } else {
            i = scanNumberBytes(b, from, limit, values[k]!, at);
            if (i < 0) break lines;
          }
          if (hasNa && na.has(b, from, i)) values[k]![at] = Number.NaN;
        } else {
          while (i < limit && stops[b[i]!] === 0) i++;
          if (from < i) {
            const a = b[from]!;
            const z = b[i - 1]!;
            if (!(a > 32 && a < 127 && z > 32 && z < 127)) break lines;
          }
        }
        if (i >= limit) break lines;
        const c = b[i]!;
        if (field < last) {
          if (c !== sep) break lines;
          continue;
        }
        // The line's end (as `nextLine` reads it: LF, CRLF or a lone CR).
        if (c === 10) i++;
        else if (c === 13 && i + 1 < limit) i += b[i + 1] === 10 ? 2 : 1;
        else break lines;
        break;
      }
      this.line++;
      if (this.groupOf !== null) this.groupOf[at] = lastGroup;
      this.rows = at + 1;
      pos = i;
    }
    return pos;
  }

  /**
   * One data line from b[start]: the next line's start, `start` when the line is not whole
   * yet, or HAND_BACK. The fields are found in one scan (no line end looked for first) and
   * checked before anything is kept.
   */
  row(b: Buffer, start: number, limit: number, atEnd: boolean): number {
    const { width, groupAt, numericAt, groupFrom, groupTo, numFrom, numTo, stops } = this;
    const sep = this.delimiter.charCodeAt(0);
    let field = 0;
    let from = start;
    let i = start;
    let c = 10;
    // The group value the previous row's, first on the line (the usual grouped file): its
    // bytes compared once, not scanned for a stop and then compared (they were checked when
    // the group began, and a kept row's group is no na token).
    let known = false;
    if (this.keyFirst && this.lastGroup >= 0) {
      const p = this.previous[0]!;
      const n = this.previousLength[0]!;
      if (start + n < limit && b[start + n] === sep) {
        let q = 0;
        while (q < n && b[start + q] === p[q]) q++;
        if (q === n) {
          groupFrom[0] = start;
          groupTo[0] = start + n;
          field = 1;
          i = from = start + n + 1;
          known = true;
        }
      }
    }
    for (;;) {
      while (i < limit && stops[b[i]!] === 0) i++;
      if (i === limit) {
        if (!atEnd) return start;
        c = 10; // the input's last line, without its line end
      } else {
        c = b[i]!;
        if (c === 34) return HAND_BACK; // a quote: the table reader's
        if (c === 13 && i === limit - 1 && !atEnd) return start;
      }
      if (field >= width) return HAND_BACK;
      if (from < i) {
        const a = b[from]!;
        const z = b[i - 1]!;
        if (!(a > 32 && a < 127 && z > 32 && z < 127)) return HAND_BACK;
      }
      const g = groupAt[field]!;
      if (g >= 0) {
        groupFrom[g] = from;
        groupTo[g] = i;
      }
      const k = numericAt[field]!;
      if (k >= 0) {
        numFrom[k] = from;
        numTo[k] = i;
      }
      field++;
      if (c !== sep) break;
      i++;
      from = i;
    }
    this.line++;
    if (field !== width) return HAND_BACK;
    const next = i >= limit ? limit : nextLine(b, i, limit);
    const { na, previous, previousLength } = this;
    const hasNa = !na.empty;
    let dropped = false;
    let same = known || this.lastGroup >= 0;
    for (let g = 0; !known && g < groupFrom.length; g++) {
      const f = groupFrom[g]!;
      const t = groupTo[g]!;
      if (hasNa && na.has(b, f, t)) dropped = true;
      else if (f === t) return HAND_BACK;
      else if (same) {
        // Equal to the previous row's value (inline: a call per row cost more than the bytes).
        const p = previous[g]!;
        const n = t - f;
        if (previousLength[g] !== n) same = false;
        else
          for (let q = 0; q < n; q++)
            if (p[q] !== b[f + q]) {
              same = false;
              break;
            }
      }
    }
    if (dropped) return next;
    const at = this.slot();
    const values = this.values;
    for (let k = 0; k < numFrom.length; k++) {
      const f = numFrom[k]!;
      const t = numTo[k]!;
      if (hasNa && na.has(b, f, t)) values[k]![at] = Number.NaN;
      else if (!parseNumberBytes(b, f, t, values[k]!, at)) {
        if (this.firstLine === null || f === t) return HAND_BACK;
        this.badNumber(b.toString("utf8", f, t), k);
      }
    }
    if (same) {
      if (this.groupOf !== null) this.groupOf[at] = this.lastGroup;
      this.rows = at + 1;
      return next;
    }
    // As long as it is at once: an empty array pushed to took room for 17 values per group.
    const groupValues = new Array<string>(groupFrom.length);
    for (let g = 0; g < groupFrom.length; g++) {
      groupValues[g] = b.toString("utf8", groupFrom[g]!, groupTo[g]!);
    }
    this.keepPrevious(b);
    this.keep(at, groupValues);
    return next;
  }

  /** The current row's group values' bytes become `previous` (buffers reused). */
  keepPrevious(b: Uint8Array): void {
    for (let g = 0; g < this.groupFrom.length; g++) {
      const from = this.groupFrom[g]!;
      const n = this.groupTo[g]! - from;
      if (this.previous[g]!.length < n) this.previous[g] = new Uint8Array(2 * n);
      // A byte loop: Buffer#subarray makes a Buffer through its constructor, per group.
      const into = this.previous[g]!;
      for (let q = 0; q < n; q++) into[q] = b[from + q]!;
      this.previousLength[g] = n;
    }
  }

  header(text: string): boolean {
    const { delimiter, names, options } = this;
    const fields = text.split(delimiter);
    for (const f of fields) if (!plain(f)) return false;
    const at = findColumns(fields, names, textHeader(this.path, this.headerLine, delimiter));
    const groupFields = packedMap(options.groupColumns, (n) => at[names.indexOf(n)]!);
    const numericFields = packedMap(options.numeric, (n) => at[names.indexOf(n)]!);
    this.groupFields = groupFields;
    this.numericFields = numericFields;
    this.values = packedMap(numericFields, () => new Float64Array(this.capacity));
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
    this.split ||= overlap;
    this.keyFirst =
      !this.split && groupFields.length === 1 && groupFields[0] === 0 && this.width > 1;
    this.previous = packedMap(groupFields, () => new Uint8Array(64));
    this.previousLength = new Int32Array(groupFields.length);
    return true;
  }

  /** The table reader's error for numeric column k's field `raw` on this line. */
  badNumber(raw: string, k: number): never {
    throw new InputError(
      `${this.path}:${this.line}:${this.numericFields[k]! + 1}: column "${this.options.numeric[k]}": expected a number, got ${quote(raw)}${numberHint(raw)}`,
    );
  }

  /** A decoded line, split (a delimiter that is not one ASCII byte, or a column used twice). */
  splitRow(text: string): boolean {
    const { naText, numericFields } = this;
    const fields = text.split(this.delimiter);
    for (const f of fields) if (!plain(f)) return false;
    if (fields.length !== this.width) return false;
    this.lastGroup = -1; // the rows are told apart by their strings here
    let dropped = false;
    const groupValues: string[] = [];
    for (const f of this.groupFields!) {
      const v = fields[f]!;
      if (naText.has(v)) dropped = true;
      else if (v === "") return false;
      groupValues.push(v);
    }
    if (dropped) return true;
    const at = this.slot();
    for (let k = 0; k < numericFields.length; k++) {
      const raw = fields[numericFields[k]!]!;
      let v = Number.NaN;
      if (!naText.has(raw)) {
        const parsed = parseNumber(raw);
        if (parsed === undefined) return false;
        v = parsed;
      }
      this.values[k]![at] = v;
    }
    this.keep(at, groupValues);
    return true;
  }

  resize(size: number): void {
    this.capacity = size;
    if (this.groupOf !== null) this.groupOf = grow(this.groupOf, new Int32Array(size));
    this.values = packedMap(this.values, (c) => grow(c, new Float64Array(size)));
  }

  /** The next row's index in the columns, growing them when full. */
  slot(): number {
    if (this.rows === this.capacity) this.resize(Math.ceil(1.5 * this.rows));
    return this.rows;
  }

  /** Row `at` (its numbers written) joins the group of `groupValues`. */
  keep(at: number, groupValues: string[]): void {
    const { keys, starts } = this;
    const id = groupValues.length === 1 ? groupValues[0]! : JSON.stringify(groupValues);
    let g = this.byKey.get(id);
    if (g === undefined) {
      g = keys.length;
      this.byKey.set(id, g);
      keys.push(groupValues);
      starts.push(at);
    } else if (this.groupOf === null && g !== keys.length - 1) {
      const groupOf = new Int32Array(this.capacity);
      for (let k = 0; k < keys.length; k++) groupOf.fill(k, starts[k]!, starts[k + 1] ?? at);
      this.groupOf = groupOf;
    }
    if (this.groupOf !== null) this.groupOf[at] = g;
    this.rows = at + 1;
    this.lastGroup = g;
  }

  /** The columns read; `trim`: copied to their length when the spare room is large. */
  result(trim = true): GroupedColumns | null {
    const { keys, starts, rows, values } = this;
    if (this.groupFields === null) return null; // no header: the table reader says so
    if (this.groupOf !== null) return byGroup(keys, this.groupOf.subarray(0, rows), values);
    // The rows are in group order as read: the columns as they are (a view when the spare room
    // the first chunk's estimate left is small).
    const offsets = Int32Array.from({ length: keys.length + 1 }, (_, g) => starts[g] ?? rows);
    const columns = packedMap(values, (v) =>
      !trim || rows >= 0.9 * v.length ? v.subarray(0, rows) : v.slice(0, rows),
    );
    return { keys, offsets, columns };
  }
}

// The stop table of each delimiter, made once per thread (a pass is made per range).
const stopTables = new Map<number, Uint8Array>();

function stopsFor(sep: number): Uint8Array {
  let stops = stopTables.get(sep);
  if (stops === undefined) {
    stops = new Uint8Array(256);
    for (const c of [sep, 10, 13, 34]) if (c < 256) stops[c] = STOP;
    stopTables.set(sep, stops);
  }
  return stops;
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
