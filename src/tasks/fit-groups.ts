import type { Job, JobExecutor } from "../batch/job.js";
import { type JobJournal, openJournal } from "../batch/journal.js";
import type { BatchProgress } from "../batch/progress.js";
import { runJobs } from "../batch/run-jobs.js";
import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { openGroupRanges } from "../data/group-ranges.js";
import { isWorkbookPath } from "../data/table-xlsx.js";
import { VERSION } from "../version.js";
import { type FieldLabels, JSON_LABELS } from "./fit-curve-request.js";
import { type ChunkResult, chunkResult, type GroupsChunk } from "./fit-groups-chunk.js";
import { logGroupedX, readGroupedRows } from "./fit-groups-data.js";
import { type ChunkRef, chunkExecutor, chunkRefSchema } from "./fit-groups-executor.js";
import { type GlobalResult, runGlobal } from "./fit-groups-global.js";
import { prepareGroupsModel } from "./fit-groups-model.js";
import { chunkKey, orderedRows } from "./fit-groups-order.js";
import { runRanges } from "./fit-groups-ranges.js";
import { type FitGroupsRequest, fitGroupsRequestSchema } from "./fit-groups-request.js";
import type { GroupRow } from "./fit-groups-row.js";
import { chunkResultSchema } from "./fit-groups-row-schema.js";

/** Groups per batch job: small enough for progress and resume, large enough to amortise a job. */
export const GROUPS_PER_CHUNK = 50;

export interface FitGroupsOptions {
  labels?: FieldLabels;
  /** Worker threads (0: this thread). Results do not depend on it. */
  workers?: number;
  /** A journal of finished chunks (`--resume`): a rerun takes them from it. */
  journal?: string | null;
  /** After each chunk: the batch runner's counts (chunks) and the groups done so far. */
  onProgress?: (progress: GroupsProgress) => void;
  /**
   * Called once before any fit: after the file is read, or for a file fitted while it is read
   * after its first groups, and then `groups` and `chunks` are estimates (`estimated`).
   */
  onStart?: (info: {
    groups: number;
    chunks: number;
    resumedChunks: number;
    /** The model's parameters, in the order of each row's `estimate`. */
    params: readonly string[];
    estimated: boolean;
  }) => void;
  /**
   * The rows delivered so far (`onRows`, `onCsvBytes`) are void and delivery starts again from
   * the first group: a file read as grouped (fitted while read) turned out not to be, late
   * in it. Without this callback a caller with `onRows`/`onCsvBytes` never sees that: its
   * file is read whole before any fit. `onStart` is called again after it.
   */
  onRestart?: () => void;
  /**
   * Stops handing out chunks; chunks in flight finish. The result then holds the groups
   * fitted so far (`run.aborted`, `counts.notRun`).
   */
  signal?: AbortSignal;
  /**
   * The groups' rows in group order, each as soon as its chunk and every chunk before it are
   * done (resumed chunks included): for writing `--out` while the fits run.
   */
  onRows?: (rows: readonly GroupRow[]) => void;
  /**
   * The CSV lines (`groupsCsvBytes`, UTF-8) of the groups in group order, as `onRows`
   * delivers rows: formatted where the fits run (a worker thread), so this thread only writes
   * them. The bytes are the caller's (a fresh array each call).
   */
  onCsvBytes?: (bytes: Uint8Array) => void;
  /**
   * How many rows the result's `groups` keeps, the first ones (default: all). With `onRows`
   * and a small number, memory does not grow with the number of groups.
   */
  keepRows?: number;
  /** Runs the chunks instead of this thread or the pool (a queue); the caller closes it. */
  executor?: JobExecutor<GroupsChunk, GroupRow[]>;
}

export interface GroupsProgress extends BatchProgress {
  /** Groups in the chunks done (resumed ones included), of `groups`. */
  groupsDone: number;
  /** Groups in all; with `bytesRead`, an estimate from the part of the file read so far. */
  groups: number;
  /** For a file fitted while it is read: bytes read so far of `bytesTotal` (total is estimated then). */
  bytesRead?: number;
  bytesTotal?: number;
}

/**
 * The `fit-groups` task: reads the file once, splits its rows by the group columns, compiles
 * the model once and fits every group (chunks of groups as jobs on the batch runner, in this
 * thread or on worker threads; results in group order whatever the executor). A group that
 * fails is a row with its reason, never the end of the run. With `share`, a global fit over
 * the groups follows (and with `compareShared`, the test against the unshared model).
 */
export async function runFitGroups(input: unknown, options: FitGroupsOptions = {}) {
  return runCheckedFitGroups(parseWith(fitGroupsRequestSchema, input, "request"), options);
}

/**
 * `runFitGroups` of a request already checked: the schema's output itself, or a request the
 * caller knows the schema accepts as it is, in the schema's key order (`biograd fit --group`,
 * src/cli/fit-groups-request-check.ts, which so starts without zod). The key order matters:
 * journal and queue keys hash the request's JSON.
 */
export async function runCheckedFitGroups(
  request: FitGroupsRequest,
  options: FitGroupsOptions = {},
) {
  const labels = options.labels ?? JSON_LABELS;
  if (!("file" in request.data)) {
    throw new InputError("data: a grouped fit reads a file (give data.file)");
  }
  const prepared = prepareGroupsModel(request, labels);
  const workers = options.workers ?? 0;
  const params = prepared.model.params;
  const chunks = chunkExecutor({
    request,
    labels,
    params,
    workers: options.executor ? 0 : workers,
    external: options.executor,
  });
  const settings = JSON.stringify([VERSION, request, labels]);
  // Keys name the chunks in a journal and on a queue (which keeps results by key): there
  // they hash what the chunk depends on.
  const hashed = Boolean(options.journal) || options.executor !== undefined;
  const keep = options.keepRows ?? Infinity;
  const allRows = options.onRows !== undefined || keep === Infinity;
  const wants = (ref: ChunkRef) => ({
    rows: allRows ? Infinity : Math.max(0, Math.min(ref.count, keep - ref.first)),
    csv: options.onCsvBytes !== undefined,
    json: Boolean(options.journal),
  });
  const deliverTo = { onRows: options.onRows, onCsvBytes: options.onCsvBytes, keep, params };
  let journal: JobJournal<ChunkRef, ChunkResult> | null = null;
  const openTheJournal = () => {
    if (!options.journal) return null;
    return openJournal(options.journal, {
      request: chunkRefSchema,
      // A line holds the chunk's rows as JSON (worker threads send that text along).
      result: chunkResultSchema.transform((r) => chunkResult(r as GroupRow[], params, null)),
      resultText: (r) => r.json ?? JSON.stringify(r.rows),
    });
  };
  const finish = (
    source: string,
    stream: ReturnType<typeof orderedRows>,
    run: { groups: number; chunks: number; resumed: number; aborted: boolean; elapsedMs: number },
    global: GlobalResult | null,
  ) => {
    const { fitted, flagged, delivered, kept } = stream;
    return {
      biograd: VERSION,
      kind: "group-fits" as const,
      createdAt: new Date().toISOString(),
      data: { file: source, y: request.y, group: request.group },
      model: {
        name: prepared.model.name,
        formula: prepared.model.formula,
        params: prepared.model.params,
        variables: prepared.model.variables,
        columns: prepared.model.columns,
        constants: prepared.constants,
      },
      settings: { request, engine: request.engine ?? "exact", level: request.level ?? 0.95 },
      counts: {
        groups: run.groups,
        fitted,
        failed: delivered - fitted,
        flagged,
        /** Groups left unfitted by an abort (`signal`). */
        notRun: run.groups - delivered,
      },
      run: {
        chunks: run.chunks,
        resumedChunks: run.resumed,
        workers,
        elapsedMs: run.elapsedMs,
        aborted: run.aborted,
        journal: journal
          ? { path: journal.path, ignoredLines: journal.ignoredLines, tornBytes: journal.tornBytes }
          : null,
      },
      groups: kept,
      global,
    };
  };

  // A grouped text file is fitted while it is read, in ranges parsed where they are fitted.
  // Rows delivered before the scan finds the file is not grouped after all are taken back
  // by `onRestart`: without it, a caller that takes rows as they come gets the whole-file path.
  const source = request.data.file;
  const ranges =
    chunks.ranges &&
    request.logX === undefined &&
    request.share === undefined &&
    request.data.sheet === undefined &&
    !isWorkbookPath(source) &&
    (options.onRestart !== undefined ||
      (options.onRows === undefined && options.onCsvBytes === undefined))
      ? openGroupRanges(source, {
          groupColumns: request.group,
          numeric: prepared.numeric,
          delimiter: request.data.delimiter,
          na: request.data.na,
          groupsPerRange: GROUPS_PER_CHUNK,
        })
      : null;
  if (ranges !== null) {
    try {
      journal = openTheJournal();
      const jobs: Job<ChunkRef>[] = [];
      const stream = orderedRows(jobs, deliverTo);
      const outcome = await runRanges({
        scan: ranges,
        chunk: { request, labels, headerLine: ranges.headerLine, numeric: prepared.numeric },
        hashed,
        settings,
        groupsPerChunk: GROUPS_PER_CHUNK,
        run: chunks.runRanges,
        rangesPerTask: chunks.rangesPerTask,
        wants,
        journal,
        concurrency: chunks.lanes ?? 1,
        signal: options.signal,
        stream,
        jobs,
        onStart: (estimate) =>
          options.onStart?.({ ...estimate, resumedChunks: 0, params, estimated: true }),
        onProgress: (p) => options.onProgress?.({ ...p, failed: 0 }),
      });
      if (!outcome.ungrouped) {
        stream.flush(true);
        const result = finish(source, stream, outcome, null);
        journal?.close();
        await chunks.abandon();
        return result;
      }
      if (outcome.delivered) options.onRestart?.();
    } catch (error) {
      journal?.close();
      await chunks.abandon();
      throw error;
    } finally {
      ranges.close();
    }
  }

  let rows: ReturnType<typeof readGroupedRows>;
  try {
    rows = readGroupedRows(request.data, request.group, prepared.numeric);
    if (request.logX !== undefined) logGroupedX(rows, prepared.model.columns, request, labels);
    if (request.share !== undefined && rows.keys.length < 2) {
      throw new InputError(
        `--share: shared parameters need at least two groups; ${rows.source} has ${rows.keys.length} (${request.group.join(",")} = ${rows.keys[0]?.join(",") ?? "none"})`,
      );
    }
  } catch (error) {
    journal?.close();
    await chunks.abandon();
    throw error;
  }
  const groups = rows.keys.length;
  const jobs: Job<ChunkRef>[] = [];
  for (let first = 0; first < groups; first += GROUPS_PER_CHUNK) {
    const count = Math.min(GROUPS_PER_CHUNK, groups - first);
    jobs.push({ key: chunkKey(settings, rows, first, count, hashed), request: { first, count } });
  }
  const executor = chunks.forRows(rows, wants);
  try {
    journal ??= openTheJournal();
    const stream = orderedRows(jobs, deliverTo);
    for (const [j, job] of jobs.entries()) {
      const entry = journal?.entries.get(job.key);
      if (entry) stream.ready(j, entry.result);
    }
    const resumedChunks = jobs.filter((j) => journal?.entries.has(j.key)).length;
    let groupsDone = jobs.reduce(
      (sum, j) => sum + (journal?.entries.has(j.key) ? j.request.count : 0),
      0,
    );
    options.onStart?.({
      groups,
      chunks: jobs.length,
      resumedChunks,
      params,
      estimated: false,
    });
    stream.flush(false);
    const outcome = await runJobs(jobs, {
      executor,
      journal,
      // Two chunks per worker in flight: each finds its next chunk queued when it finishes,
      // instead of idling while this thread takes its rows and hands out another.
      concurrency: chunks.lanes !== undefined && chunks.lanes > 1 ? chunks.lanes : undefined,
      signal: options.signal,
      onProgress: (p, o) => {
        const job = stream.indexOf(o.key);
        if (o.ok) {
          stream.ready(job, o.result);
          stream.flush(false);
        }
        groupsDone += jobs[job]!.request.count;
        options.onProgress?.({ ...p, groupsDone, groups });
      },
    });
    // After an abort, the chunks done beyond the first one not run.
    stream.flush(true);
    const global: GlobalResult | null =
      request.share !== undefined && !outcome.aborted ? runGlobal(request, prepared, rows) : null;
    return finish(
      rows.source,
      stream,
      {
        groups,
        chunks: jobs.length,
        resumed: outcome.resumed,
        aborted: outcome.aborted,
        elapsedMs: outcome.elapsedMs,
      },
      global,
    );
  } finally {
    journal?.close();
    await executor.close();
  }
}

export type FitGroupsResult = Awaited<ReturnType<typeof runFitGroups>>;
