import { availableParallelism } from "node:os";
import { z } from "zod";
import { JobError, type JobExecutor } from "../batch/job.js";
import { poolExecutor } from "../batch/pool-executor.js";
import { poolThreadsFor, QUEUED_PER_FITTING_THREAD } from "../batch/workers.js";
import { lazySchema } from "../core/lazy-schema.js";
import type { FieldLabels } from "./fit-curve-request.js";
import {
  type BatchOutcome,
  type ChunkResult,
  type ChunkWants,
  chunkResult,
  fitChunkBatch,
  type GroupsChunk,
  type PackedGroupsChunk,
  packRange,
  type RangeGroupsChunk,
} from "./fit-groups-chunk.js";
import type { GroupedRows } from "./fit-groups-data.js";
import type { FitGroupsRequest } from "./fit-groups-request.js";
import type { GroupRow } from "./fit-groups-row.js";

/**
 * Ranges of a grouped file handed to a worker thread as one task: 8 × 50 groups, about 15 ms
 * of fitting — few enough messages that waking the threads for them costs little, small
 * enough that the last task leaves the other workers idle only briefly.
 */
export const RANGES_PER_TASK = 8;

/** A range's outcome: its result (null: the whole-file reader's), or its error (data from a worker). */
export type RangeOutcome = { ok: true; result: ChunkResult | null } | { ok: false; error: unknown };

/** The small, journaled part of a job: which groups (the key hashes what they depend on). */
export const chunkRefSchema = lazySchema(() =>
  z.object({ first: z.number().int(), count: z.number().int() }).strict(),
);
export type ChunkRef = z.infer<typeof chunkRefSchema>;

export interface ChunkExecutorSetup {
  request: FitGroupsRequest;
  labels: FieldLabels;
  params: readonly string[];
  /** Worker threads (0: this thread). */
  workers: number;
  /** Runs the chunks instead (a queue): plain chunks and rows, the caller closes it. */
  external?: JobExecutor<GroupsChunk, GroupRow[]>;
  /** The cores this process may use (default: `availableParallelism()`). */
  cores?: number;
}

/**
 * Where a grouped fit's chunks run, made before the file is read so that worker threads load
 * their modules and compile the model (an empty chunk each, `warming`) meanwhile. `forRows`
 * then gives the runner's executor: a job names its groups, and the chunk is cut from the
 * read rows — on a worker as one copied and transferred Float64Array per column (views in
 * this thread), returning what `wants` asks for; an external executor gets the plain chunk.
 * With 2 or more `workers` and no more cores, this thread is one of the `workers` fitting threads (a batch
 * runs here when the pool's threads each hold two): the results do not depend on where.
 */
export function chunkExecutor(setup: ChunkExecutorSetup) {
  const { request, labels, workers, external } = setup;
  type AnyChunk = PackedGroupsChunk | RangeGroupsChunk;
  const cores = setup.cores ?? availableParallelism();
  // With a worker for every core, this thread (which reads the file and hands out the chunks
  // anyway) is one of the fitting threads and one worker fewer starts: no more runnable threads
  // than cores, one thread fewer to start and to compile the fitting code in, and fitting
  // begins here while the worker starts (see `lanes`). One worker asked for stays one worker.
  const poolThreads = external ? 0 : poolThreadsFor(workers, cores);
  const hybrid = !external && poolThreads < workers;
  // On worker threads a task is a batch of chunks (one message each way: `fitChunkBatch`).
  const pool =
    poolThreads <= 0
      ? null
      : poolExecutor<AnyChunk[], BatchOutcome[]>({
          module: new URL("./fit-groups-chunk.js", import.meta.url),
          exportName: "fitChunkBatch",
          threads: poolThreads,
          // Each worker finds its next batch waiting when it finishes one, even while this
          // thread is busy (reading, writing) and cannot answer at once. The CLI may have
          // started these threads already (src/cli/early-workers.ts).
          queuedPerThread: QUEUED_PER_FITTING_THREAD,
          transferList: (chunks) =>
            chunks.flatMap((chunk) =>
              "bytes" in chunk
                ? [chunk.bytes.buffer as ArrayBuffer]
                : chunk.columns.map((c) => c.buffer as ArrayBuffer),
            ),
        });
  // Batches handed to the pool and not yet answered (warm-ups aside), and whether this thread
  // is fitting one: with `hybrid`, a batch goes to the pool while a worker has room for one
  // (each holds `queuedPerThread` = 2), else it is fitted here if this thread is free.
  let onPool = 0;
  let fittingHere = false;
  const ran = { here: 0, onWorkers: 0 };
  /** Runs chunks as one task (a batch on a worker, one after another here). */
  const runBatch = async (
    key: string,
    batch: AnyChunk[],
    signal?: AbortSignal,
  ): Promise<BatchOutcome[]> => {
    if (
      pool !== null &&
      (!hybrid || fittingHere || onPool < QUEUED_PER_FITTING_THREAD * poolThreads)
    ) {
      onPool++;
      ran.onWorkers += batch.length;
      try {
        // A range's bytes move to the worker (the transfer list) instead of being cloned: the
        // scan's own buffer as it is, bytes that share theirs copied into one of their own.
        const request = batch.map((c) => ("bytes" in c ? { ...c, bytes: ownBuffer(c.bytes) } : c));
        return await pool.run({ key, request }, signal);
      } finally {
        onPool--;
      }
    }
    fittingHere = true;
    ran.here += batch.length;
    try {
      return await runHere(batch);
    } finally {
      fittingHere = false;
    }
  };
  /** Chunks fitted in this thread, one after another. */
  const runHere = async (batch: AnyChunk[]): Promise<BatchOutcome[]> => {
    const out: BatchOutcome[] = [];
    for (const chunk of batch) {
      // Back to the event loop between chunks, so an abort (a server's cancel) is seen.
      await new Promise((resume) => setImmediate(resume));
      out.push(...fitChunkBatch([chunk]));
    }
    return out;
  };
  /** One chunk's result, its error thrown as the job's. */
  const runOne = async (key: string, chunk: AnyChunk, signal?: AbortSignal) => {
    const [outcome] = await runBatch(key, [chunk], signal);
    if (!outcome!.ok) throw new JobError(outcome!.error);
    return outcome!.result;
  };
  const inner = external ? null : { run: runOne, close: async () => pool?.close() };
  const none: ChunkWants = { rows: 0, csv: false, json: false };
  const warming =
    pool !== null
      ? Array.from({ length: poolThreads }, (_, k) =>
          // A failure here comes back with the first real chunk on that thread.
          pool
            .run({
              key: `warm-up-${k}`,
              request: [
                { request, labels, keys: [], offsets: new Int32Array(1), columns: [], want: none },
              ],
            })
            .catch(() => null),
        )
      : [];
  // With a core to spare beyond the workers' (one worker on two cores), this thread parses
  // each range while the worker fits: parsing leaves the worker's path. With every core
  // fitting, the workers parse their own ranges (measured: bench/groups/RESULTS.md).
  const parseHere = pool !== null && !hybrid;
  return {
    warming,
    /** Chunks run so far in this thread and on the workers (warm-ups aside). */
    ran: (): Readonly<typeof ran> => ({ ...ran }),
    /**
     * Chunks (or tasks of ranges) to keep in flight: two per worker, so each finds its next
     * one queued when it finishes, and with `hybrid` one more, fitted in this thread.
     */
    lanes: external
      ? undefined
      : poolThreads > 0
        ? QUEUED_PER_FITTING_THREAD * poolThreads + (hybrid ? 1 : 0)
        : 1,
    /** The runner's executor over the read rows; `wants` says what each chunk returns. */
    forRows(
      rows: GroupedRows,
      wants: (ref: ChunkRef) => ChunkWants,
    ): JobExecutor<ChunkRef, ChunkResult> {
      const copy = pool !== null;
      const packed = (ref: ChunkRef): PackedGroupsChunk => {
        const from = rows.offsets[ref.first]!;
        const to = rows.offsets[ref.first + ref.count]!;
        const offsets = new Int32Array(ref.count + 1);
        for (let k = 0; k <= ref.count; k++) offsets[k] = rows.offsets[ref.first + k]! - from;
        return {
          request,
          labels,
          keys: rows.keys.slice(ref.first, ref.first + ref.count),
          offsets,
          // A worker gets a copy of its groups' rows (a view would clone the whole column).
          columns: rows.columns.map((c) => (copy ? c.slice(from, to) : c.subarray(from, to))),
          want: wants(ref),
        };
      };
      const plain = (ref: ChunkRef): GroupsChunk => ({
        request,
        labels,
        groups: Array.from({ length: ref.count }, (_, k) => {
          const from = rows.offsets[ref.first + k]!;
          const to = rows.offsets[ref.first + k + 1]!;
          return {
            key: rows.keys[ref.first + k]!,
            columns: rows.columns.map((c) => c.subarray(from, to)),
          };
        }),
      });
      return {
        concurrency: external?.concurrency ?? Math.max(1, workers),
        run: async (job, signal) => {
          if (inner !== null) return (await inner.run(job.key, packed(job.request), signal))!;
          const rowsOut = await external!.run(
            { key: job.key, request: plain(job.request) },
            signal,
          );
          return chunkResult(rowsOut, setup.params, wants(job.request));
        },
        close: async () => {
          await Promise.allSettled(warming);
          await pool?.close();
        },
      };
    },
    /** Whether ranges of a grouped file can run here (not on an external executor). */
    ranges: inner !== null,
    /**
     * Runs ranges of a grouped file (each parsed where it is fitted) as one task: their
     * outcomes in order — a result, null when that range needs the whole-file reader, or its
     * error. `rangesPerTask` is how many to hand it at once.
     */
    rangesPerTask: pool !== null ? RANGES_PER_TASK : 1,
    runRanges: async (
      items: { key: string; chunk: RangeGroupsChunk }[],
      signal?: AbortSignal,
    ): Promise<RangeOutcome[]> => {
      // A worker's error arrives as data: as the error a job throws (errorData reads it back).
      const asOutcome = (o: BatchOutcome): RangeOutcome =>
        o.ok ? o : { ok: false, error: new JobError(o.error) };
      if (!parseHere) {
        const outcomes = await runBatch(
          items[0]!.key,
          items.map((i) => i.chunk),
          signal,
        );
        return outcomes.map(asOutcome);
      }
      // Parsed here: a range this thread cannot parse (or whose numbers are bad) is answered
      // here, the rest go to the worker as one batch.
      const out: (RangeOutcome | null)[] = [];
      const packed: PackedGroupsChunk[] = [];
      for (const { chunk } of items) {
        try {
          const p = packRange(chunk);
          if (p === null) out.push({ ok: true, result: null });
          else {
            out.push(null);
            packed.push(p);
          }
        } catch (error) {
          out.push({ ok: false, error });
        }
      }
      const fitted = packed.length > 0 ? await runBatch(items[0]!.key, packed, signal) : [];
      let next = 0;
      return out.map((o) => o ?? asOutcome(fitted[next++]!));
    },
    /** Closes the pool when no executor was made (the file could not be read). */
    async abandon() {
      // Not while a warm-up is in flight: piscina fails on a reply from a destroyed pool.
      await Promise.allSettled(warming);
      await pool?.close();
    },
  };
}

/** The bytes as the whole of an ArrayBuffer (to transfer): themselves, or a copy. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
}
