import { errorData, type JobErrorData } from "../batch/job.js";
import { groupedColumnsFromBytes } from "../data/grouped-columns.js";
import { CsvText } from "./csv-text.js";
import type { FieldLabels } from "./fit-curve-request.js";
import {
  CONVERGED,
  type FastFitters,
  FLAGGED,
  fastFitters,
  fitGroup,
  fitGroupCsv,
  type GroupData,
} from "./fit-groups-fit.js";
import { type GroupsModel, prepareGroupsModel } from "./fit-groups-model.js";
import type { FitGroupsRequest } from "./fit-groups-request.js";
import type { GroupRow } from "./fit-groups-row.js";
import { groupsCsvBytes, writeGroupsCsvRow } from "./groups-csv.js";

/**
 * A chunk of groups as one batch job: plain data, so it can cross to a worker thread or a
 * queue (the queue's workers import this module and call `fitGroupsChunk`). The request is
 * the run's, already checked; the groups carry their own rows.
 */
export interface GroupsChunk {
  request: FitGroupsRequest;
  labels: FieldLabels;
  groups: GroupData[];
}

/**
 * The same chunk as `runFitGroups` hands it to this thread or its worker threads: the groups'
 * rows as one typed array per column (group k is rows offsets[k] … offsets[k + 1] − 1), which
 * cross to a worker as a few transferred buffers instead of an object per group, and `want`:
 * what the caller needs back, so the worker does the formatting and nothing crosses back that
 * the caller would throw away.
 */
export interface PackedGroupsChunk {
  request: FitGroupsRequest;
  labels: FieldLabels;
  keys: string[][];
  offsets: Int32Array;
  columns: Float64Array[];
  want: ChunkWants;
}

export interface ChunkWants {
  /** How many of the chunk's rows come back as objects (the first ones; Infinity: all). */
  rows: number;
  /** The CSV lines of every group (`groupsCsvBytes`). */
  csv: boolean;
  /** The JSON text of every row (a journal line's result). */
  json: boolean;
}

/**
 * A chunk's outcome in the form the caller asked for. `csv` and `json` are null when not asked
 * for; when `csv` is null, `rows` holds every row (a resumed chunk, a queue's result). The
 * caller may empty it once delivered (see fit-groups-order.ts).
 */
export interface ChunkResult {
  groups: number;
  fitted: number;
  flagged: number;
  rows: GroupRow[];
  /**
   * The CSV lines as UTF-8 (`groupsCsvBytes`): bytes from the worker to the file, no string
   * (a copy per message, not a UTF-16 string, then an encoding, per chunk).
   */
  csv: Uint8Array | null;
  json: string | null;
}

// One prepared model (compiled formula, fast fitters) per thread and run: a worker handles
// many chunks of the same run.
let cached: { key: string; prepared: GroupsModel; fast: FastFitters | null } | null = null;

function prepared(request: FitGroupsRequest, labels: FieldLabels) {
  const key = JSON.stringify([request, labels]);
  if (cached?.key !== key) {
    const model = prepareGroupsModel(request, labels);
    const fast = request.engine === "fast" ? fastFitters(request, model) : null;
    cached = { key, prepared: model, fast };
  }
  return cached;
}

export function fitGroupsChunk(chunk: GroupsChunk): GroupRow[] {
  const { prepared: model, fast } = prepared(chunk.request, chunk.labels);
  return chunk.groups.map((g) => fitGroup(chunk.request, model, g, fast));
}

/** Fits a packed chunk (in this thread, or on a worker within `fitChunkBatch`). */
export function fitPackedChunk(chunk: PackedGroupsChunk): ChunkResult {
  const { want } = chunk;
  if (want.csv && !want.json) return fitPackedChunkCsv(chunk);
  const { prepared: model, fast } = prepared(chunk.request, chunk.labels);
  const { keys, offsets, columns } = chunk;
  const rows = keys.map((key, k) => {
    const from = offsets[k]!;
    const to = offsets[k + 1]!;
    return fitGroup(
      chunk.request,
      model,
      { key, columns: columns.map((c) => c.subarray(from, to)) },
      fast,
    );
  });
  return chunkResult(rows, model.model.params, want);
}

/**
 * A packed chunk whose caller wants its CSV lines (and its first `want.rows` rows) only: the
 * groups past those are written straight into the CSV text (`fitGroupCsv`), the same lines
 * `chunkResult` would give, without a row object per group.
 */
function fitPackedChunkCsv(chunk: PackedGroupsChunk): ChunkResult {
  const { prepared: model, fast } = prepared(chunk.request, chunk.labels);
  const { keys, offsets, columns, want } = chunk;
  const rows: GroupRow[] = [];
  let fitted = 0;
  let flagged = 0;
  for (let k = 0; k < keys.length; k++) {
    const from = offsets[k]!;
    const to = offsets[k + 1]!;
    if (k < want.rows) {
      const row = fitShownGroup(chunk.request, model, fast, keys[k]!, columns, from, to);
      rows.push(row);
      if (row.converged) fitted++;
      if (row.flags.length > 0) flagged++;
    } else {
      // The group's values copied into arrays reused from group to group (its line is
      // written before the next one is read, and nothing keeps them) instead of a view per
      // column and group.
      const group = scratchGroup(keys[k]!, columns, from, to);
      const bits = fitGroupCsv(chunk.request, model, group, fast, csvOut);
      if ((bits & CONVERGED) !== 0) fitted++;
      if ((bits & FLAGGED) !== 0) flagged++;
    }
  }
  return { groups: keys.length, fitted, flagged, rows, csv: csvOut.takeBytes(), json: null };
}

/**
 * A group whose row the caller keeps (the first `want.rows` of a run): fitted into a row
 * object, its CSV line written from it. A function of its own, called for the first groups
 * of the first chunk only: written in fitPackedChunkCsv's loop, V8 compiled this path (the
 * map of views, the row's writer) into it in every thread, for twenty groups of a run.
 */
function fitShownGroup(
  request: FitGroupsRequest,
  model: GroupsModel,
  fast: FastFitters | null,
  key: string[],
  columns: Float64Array[],
  from: number,
  to: number,
): GroupRow {
  const group = { key, columns: columns.map((c) => c.subarray(from, to)) };
  const row = fitGroup(request, model, group, fast);
  writeGroupsCsvRow(csvOut, row, model.model.params);
  return row;
}

// The CSV text of the chunk being fitted (a buffer reused across chunks).
const csvOut = new CsvText();

// The reused group of `scratchGroup`: one array per column, of the last group's length.
const scratch: { key: string[]; columns: Float64Array[] } = { key: [], columns: [] };

/** Rows from … to − 1 of `columns` as `scratch` (valid until the next call). */
function scratchGroup(key: string[], columns: Float64Array[], from: number, to: number) {
  const n = to - from;
  const own = scratch.columns;
  if (own.length !== columns.length || own[0]?.length !== n) {
    scratch.columns = columns.map(() => new Float64Array(n));
  }
  for (let c = 0; c < columns.length; c++) {
    const source = columns[c]!;
    const target = scratch.columns[c]!;
    for (let i = 0; i < n; i++) target[i] = source[from + i]!;
  }
  scratch.key = key;
  return scratch;
}

/**
 * A chunk as bytes of the file (a range of whole groups of a grouped file, `group-ranges.ts`):
 * the thread that fits it also parses it, so the reading thread only cuts the file.
 */
export interface RangeGroupsChunk {
  request: FitGroupsRequest;
  labels: FieldLabels;
  /** The file's header line, to find the columns as the whole-file reader does. */
  headerLine: string;
  bytes: Uint8Array;
  /** The line number of its first line (a bad number is named by its line). */
  firstLine: number;
  /** Groups the range holds (the scan's count: a parser that finds another hands it back). */
  count: number;
  /** The model's numeric columns, in `prepareGroupsModel`'s order. */
  numeric: readonly string[];
  want: ChunkWants;
}

/**
 * Parses and fits a range; null when a line in it needs the whole-file reader (a field
 * count, an empty value, whitespace around a field): the caller then reads the file whole,
 * which gives the same rows or names the problem's file:line:column. A value that is no number
 * is that error already (an InputError naming its line).
 */
export function fitRangeChunk(chunk: RangeGroupsChunk): ChunkResult | null {
  const packed = packRange(chunk);
  return packed === null ? null : fitPackedChunk(packed);
}

/** A range parsed into a packed chunk; null when a line in it needs the whole-file reader. */
export function packRange(chunk: RangeGroupsChunk): PackedGroupsChunk | null {
  const { request } = chunk;
  if (!("file" in request.data)) return null;
  const columns = groupedColumnsFromBytes(
    request.data.file,
    chunk.headerLine,
    chunk.bytes,
    {
      groupColumns: request.group,
      numeric: chunk.numeric,
      delimiter: request.data.delimiter,
      na: request.data.na,
    },
    chunk.firstLine,
  );
  if (columns === null || columns.keys.length !== chunk.count) return null;
  return {
    request,
    labels: chunk.labels,
    keys: columns.keys,
    offsets: columns.offsets,
    columns: columns.columns,
    want: chunk.want,
  };
}

/** A packed chunk or a range, fitted (one item of `fitChunkBatch`, the pool's export). */
export function fitAnyChunk(chunk: PackedGroupsChunk | RangeGroupsChunk): ChunkResult | null {
  return "bytes" in chunk ? fitRangeChunk(chunk) : fitPackedChunk(chunk);
}

/** One chunk's outcome in a batch: its result (null: a range the whole-file reader needs) or its error. */
export type BatchOutcome =
  | { ok: true; result: ChunkResult | null }
  | { ok: false; error: JobErrorData };

/**
 * The pool's export: several chunks as one task, so a worker thread gets one message (and
 * sends one back) per batch instead of per chunk — each message wakes both threads, which
 * cost more than a 50-group chunk's parse. Each chunk stays its own job: one that fails does
 * not take the others' results with it.
 */
export function fitChunkBatch(chunks: (PackedGroupsChunk | RangeGroupsChunk)[]): BatchOutcome[] {
  return chunks.map((chunk): BatchOutcome => {
    try {
      return { ok: true, result: fitAnyChunk(chunk) };
    } catch (error) {
      return { ok: false, error: errorData(error) };
    }
  });
}

/** A chunk's rows in the form `want` asks for (all rows kept when `want` is null). */
export function chunkResult(
  rows: GroupRow[],
  params: readonly string[],
  want: ChunkWants | null,
): ChunkResult {
  let fitted = 0;
  let flagged = 0;
  for (const r of rows) {
    if (r.converged) fitted++;
    if (r.flags.length > 0) flagged++;
  }
  return {
    groups: rows.length,
    fitted,
    flagged,
    csv: want?.csv ? groupsCsvBytes(rows, params) : null,
    json: want?.json ? JSON.stringify(rows) : null,
    rows: want === null || want.rows >= rows.length || !want.csv ? rows : rows.slice(0, want.rows),
  };
}
