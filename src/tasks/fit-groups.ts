import { createHash } from "node:crypto";
import { z } from "zod";
import { inThreadExecutor } from "../batch/in-thread-executor.js";
import type { Job, JobExecutor } from "../batch/job.js";
import { type JobJournal, openJournal } from "../batch/journal.js";
import { poolExecutor } from "../batch/pool-executor.js";
import type { BatchProgress } from "../batch/progress.js";
import { runJobs } from "../batch/run-jobs.js";
import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { VERSION } from "../version.js";
import { type FieldLabels, JSON_LABELS } from "./fit-curve-request.js";
import { fitGroupsChunk, type GroupsChunk } from "./fit-groups-chunk.js";
import { readGroupedRows } from "./fit-groups-data.js";
import { type GlobalResult, runGlobal } from "./fit-groups-global.js";
import { prepareGroupsModel } from "./fit-groups-model.js";
import { fitGroupsRequestSchema } from "./fit-groups-request.js";
import { chunkResultSchema, type GroupRow } from "./fit-groups-row.js";

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
  /** Called once the file is read and the jobs are known (before any fit). */
  onStart?: (info: {
    groups: number;
    chunks: number;
    resumedChunks: number;
    /** The model's parameters, in the order of each row's `estimate`. */
    params: readonly string[];
  }) => void;
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
  groups: number;
}

/** The small, journaled part of a job: which groups and a hash of everything they depend on. */
const chunkRefSchema = z.object({ first: z.number().int(), count: z.number().int() }).strict();
type ChunkRef = z.infer<typeof chunkRefSchema>;

/**
 * The `fit-groups` task: reads the file once, splits its rows by the group columns, compiles
 * the model once and fits every group (chunks of groups as jobs on the batch runner, in this
 * thread or on worker threads; results in group order whatever the executor). A group that
 * fails is a row with its reason, never the end of the run. With `share`, a global fit over
 * the groups follows (and with `compareShared`, the test against the unshared model).
 */
export async function runFitGroups(input: unknown, options: FitGroupsOptions = {}) {
  const request = parseWith(fitGroupsRequestSchema, input, "request");
  const labels = options.labels ?? JSON_LABELS;
  if (!("file" in request.data)) {
    throw new InputError("data: a grouped fit reads a file (give data.file)");
  }
  const prepared = prepareGroupsModel(request, labels);
  const workers = options.workers ?? 0;
  const inner: JobExecutor<GroupsChunk, GroupRow[]> =
    options.executor ??
    (workers > 0
      ? poolExecutor({
          module: new URL("./fit-groups-chunk.js", import.meta.url),
          exportName: "fitGroupsChunk",
          threads: workers,
        })
      : inThreadExecutor(async (chunk: GroupsChunk) => {
          // Back to the event loop between chunks, so an abort (a server's cancel) is seen.
          await new Promise((resume) => setImmediate(resume));
          return fitGroupsChunk(chunk);
        }));
  // The worker threads load their modules and compile the model (an empty chunk each) while
  // this thread reads the file, instead of after it.
  const warming =
    workers > 0 && !options.executor
      ? Array.from({ length: workers }, (_, k) =>
          // A failure here comes back with the first real chunk on that thread.
          inner
            .run({ key: `warm-up-${k}`, request: { request, labels, groups: [] } })
            .catch(() => []),
        )
      : [];
  let rows: ReturnType<typeof readGroupedRows>;
  try {
    rows = readGroupedRows(request.data, request.group, prepared.numeric);
    if (request.share !== undefined && rows.keys.length < 2) {
      throw new InputError(
        `--share: shared parameters need at least two groups; ${rows.source} has ${rows.keys.length} (${request.group.join(",")} = ${rows.keys[0]?.join(",") ?? "none"})`,
      );
    }
  } catch (error) {
    // Not while a warm-up is in flight: piscina fails on a reply from a destroyed pool.
    await Promise.allSettled(warming);
    if (!options.executor) await inner.close();
    throw error;
  }
  const groups = rows.keys.length;
  const settings = JSON.stringify([VERSION, request, labels]);
  const jobs: Job<ChunkRef>[] = [];
  for (let first = 0; first < groups; first += GROUPS_PER_CHUNK) {
    const count = Math.min(GROUPS_PER_CHUNK, groups - first);
    jobs.push({ key: chunkKey(settings, rows, first, count), request: { first, count } });
  }
  const chunkOf = (ref: ChunkRef, copy: boolean): GroupsChunk => ({
    request,
    labels,
    groups: Array.from({ length: ref.count }, (_, k) => {
      const g = ref.first + k;
      const from = rows.offsets[g]!;
      const to = rows.offsets[g + 1]!;
      return {
        key: rows.keys[g]!,
        // A worker gets copies of its groups' rows only (a view would clone the whole column).
        columns: rows.columns.map((c) => (copy ? c.slice(from, to) : c.subarray(from, to))),
      };
    }),
  });
  const executor: JobExecutor<ChunkRef, GroupRow[]> = {
    concurrency: inner.concurrency,
    run: (job, signal) =>
      inner.run({ key: job.key, request: chunkOf(job.request, workers > 0) }, signal),
    close: () => (options.executor ? Promise.resolve() : inner.close()),
  };
  let journal: JobJournal<ChunkRef, GroupRow[]> | null = null;
  try {
    if (options.journal) {
      journal = openJournal(options.journal, {
        request: chunkRefSchema,
        result: chunkResultSchema,
      });
    }
    const stream = orderedRows(jobs, options.onRows, options.keepRows ?? Infinity);
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
      params: prepared.model.params,
    });
    stream.flush(false);
    const outcome = await runJobs(jobs, {
      executor,
      journal,
      // Two chunks per worker in flight: each finds its next chunk queued when it finishes,
      // instead of idling while this thread takes its rows and hands out another.
      concurrency: workers > 0 && !options.executor ? 2 * workers : undefined,
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
    const { fitted, flagged, delivered, kept } = stream;
    const global: GlobalResult | null =
      request.share !== undefined && !outcome.aborted ? runGlobal(request, prepared, rows) : null;
    return {
      biograd: VERSION,
      kind: "group-fits" as const,
      createdAt: new Date().toISOString(),
      data: { file: rows.source, y: request.y, group: request.group },
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
        groups,
        fitted,
        failed: delivered - fitted,
        flagged,
        /** Groups left unfitted by an abort (`signal`). */
        notRun: groups - delivered,
      },
      run: {
        chunks: jobs.length,
        resumedChunks: outcome.resumed,
        workers,
        elapsedMs: outcome.elapsedMs,
        aborted: outcome.aborted,
        journal: journal
          ? { path: journal.path, ignoredLines: journal.ignoredLines, tornBytes: journal.tornBytes }
          : null,
      },
      groups: kept,
      global,
    };
  } finally {
    journal?.close();
    await Promise.allSettled(warming);
    await executor.close();
  }
}

export type FitGroupsResult = Awaited<ReturnType<typeof runFitGroups>>;

/**
 * Chunks' rows put back in group order as they finish: a chunk's rows go out once every
 * chunk before it is done; counts are kept as they go, and only the first `keep` rows stay.
 * A delivered chunk's row array is emptied (the batch runner still holds it) unless every row
 * is kept, so memory holds only the chunks waiting for an earlier one.
 */
function orderedRows(
  jobs: readonly Job<ChunkRef>[],
  onRows: ((rows: readonly GroupRow[]) => void) | undefined,
  keep: number,
) {
  const index = new Map(jobs.map((j, k) => [j.key, k]));
  const waiting = new Map<number, GroupRow[]>();
  let next = 0;
  const state = {
    fitted: 0,
    flagged: 0,
    delivered: 0,
    kept: [] as GroupRow[],
    indexOf: (key: string) => index.get(key)!,
    ready: (job: number, rows: GroupRow[]) => void waiting.set(job, rows),
    /** Delivers what is in order; with `skipGaps`, also past chunks that never ran. */
    flush(skipGaps: boolean) {
      while (next < jobs.length) {
        const rows = waiting.get(next);
        if (rows === undefined && !skipGaps) return;
        waiting.delete(next++);
        if (rows === undefined) continue;
        for (const r of rows) {
          if (r.converged) state.fitted++;
          if (r.flags.length > 0) state.flagged++;
          if (state.kept.length < keep) state.kept.push(r);
        }
        state.delivered += rows.length;
        onRows?.(rows);
        if (keep !== Infinity) rows.length = 0;
      }
    },
  };
  return state;
}

/**
 * A chunk's journal key: its position and a hash of what its numbers depend on (biograd's
 * version, the request, the groups' names and rows), so a rerun of another command or on
 * changed data never takes a stale result.
 */
function chunkKey(
  settings: string,
  rows: ReturnType<typeof readGroupedRows>,
  first: number,
  count: number,
): string {
  const hash = createHash("sha256").update(settings);
  const from = rows.offsets[first]!;
  const to = rows.offsets[first + count]!;
  hash.update(JSON.stringify(rows.keys.slice(first, first + count)));
  hash.update(Buffer.from(rows.offsets.slice(first, first + count + 1).buffer));
  for (const c of rows.columns) {
    const part = c.subarray(from, to);
    hash.update(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
  }
  // No spaces: the journal takes printable ASCII keys only (batch/journal-line.ts).
  return `groups:${first}-${first + count - 1}:${hash.digest("hex").slice(0, 24)}`;
}
