import { availableParallelism } from "node:os";
import { z } from "zod";
import { inThreadExecutor } from "../batch/in-thread-executor.js";
import type { JobExecutor } from "../batch/job.js";
import { poolExecutor } from "../batch/pool-executor.js";
import type { FieldLabels } from "./fit-curve-request.js";
import {
  type ChunkResult,
  type ChunkWants,
  chunkResult,
  fitAnyChunk,
  type GroupsChunk,
  type PackedGroupsChunk,
  packRange,
  type RangeGroupsChunk,
} from "./fit-groups-chunk.js";
import type { GroupedRows } from "./fit-groups-data.js";
import type { FitGroupsRequest } from "./fit-groups-request.js";
import type { GroupRow } from "./fit-groups-row.js";

/** The small, journaled part of a job: which groups (the key hashes what they depend on). */
export const chunkRefSchema = z
  .object({ first: z.number().int(), count: z.number().int() })
  .strict();
export type ChunkRef = z.infer<typeof chunkRefSchema>;

export interface ChunkExecutorSetup {
  request: FitGroupsRequest;
  labels: FieldLabels;
  params: readonly string[];
  /** Worker threads (0: this thread). */
  workers: number;
  /** Runs the chunks instead (a queue): plain chunks and rows, the caller closes it. */
  external?: JobExecutor<GroupsChunk, GroupRow[]>;
}

/**
 * Where a grouped fit's chunks run, made before the file is read so that worker threads load
 * their modules and compile the model (an empty chunk each, `warming`) meanwhile. `forRows`
 * then gives the runner's executor: a job names its groups, and the chunk is cut from the
 * read rows — on a worker as one copied and transferred Float64Array per column (views in
 * this thread), returning what `wants` asks for; an external executor gets the plain chunk.
 */
export function chunkExecutor(setup: ChunkExecutorSetup) {
  const { request, labels, workers, external } = setup;
  type AnyChunk = PackedGroupsChunk | RangeGroupsChunk;
  const inner: JobExecutor<AnyChunk, ChunkResult | null> | null = external
    ? null
    : workers > 0
      ? poolExecutor<AnyChunk, ChunkResult | null>({
          module: new URL("./fit-groups-chunk.js", import.meta.url),
          exportName: "fitAnyChunk",
          threads: workers,
          // Each worker finds its next chunk waiting when it finishes one, even while this
          // thread is busy (reading, writing) and cannot answer at once.
          queuedPerThread: 2,
          transferList: (chunk) =>
            "bytes" in chunk
              ? [chunk.bytes.buffer as ArrayBuffer]
              : chunk.columns.map((c) => c.buffer as ArrayBuffer),
        })
      : inThreadExecutor(async (chunk: AnyChunk) => {
          // Back to the event loop between chunks, so an abort (a server's cancel) is seen.
          await new Promise((resume) => setImmediate(resume));
          return fitAnyChunk(chunk);
        });
  const none: ChunkWants = { rows: 0, csv: false, json: false };
  const warming =
    inner !== null && workers > 0
      ? Array.from({ length: workers }, (_, k) =>
          // A failure here comes back with the first real chunk on that thread.
          inner
            .run({
              key: `warm-up-${k}`,
              request: {
                request,
                labels,
                keys: [],
                offsets: new Int32Array(1),
                columns: [],
                want: none,
              },
            })
            .catch(() => null),
        )
      : [];
  // With a core to spare beyond the workers' (one worker on two cores), this thread parses
  // each range while the worker fits: parsing leaves the worker's path. With every core
  // fitting, the workers parse their own ranges (measured: bench/groups/RESULTS.md).
  const parseHere = workers > 0 && workers < availableParallelism();
  return {
    warming,
    /** The runner's executor over the read rows; `wants` says what each chunk returns. */
    forRows(
      rows: GroupedRows,
      wants: (ref: ChunkRef) => ChunkWants,
    ): JobExecutor<ChunkRef, ChunkResult> {
      const copy = workers > 0;
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
        concurrency: external?.concurrency ?? inner!.concurrency,
        run: async (job, signal) => {
          if (inner !== null)
            return (await inner.run({ key: job.key, request: packed(job.request) }, signal))!;
          const rowsOut = await external!.run(
            { key: job.key, request: plain(job.request) },
            signal,
          );
          return chunkResult(rowsOut, setup.params, wants(job.request));
        },
        close: async () => {
          await Promise.allSettled(warming);
          await inner?.close();
        },
      };
    },
    /**
     * Runs one range of a grouped file (parsed where it is fitted); null when the range needs
     * the whole-file reader. Only without an external executor (`ranges` is false then).
     */
    ranges: inner !== null,
    runRange: async (key: string, chunk: RangeGroupsChunk, signal?: AbortSignal) => {
      if (!parseHere) return inner!.run({ key, request: chunk }, signal);
      const packed = packRange(chunk);
      return packed === null ? null : inner!.run({ key, request: packed }, signal);
    },
    /** Closes the pool when no executor was made (the file could not be read). */
    async abandon() {
      // Not while a warm-up is in flight: piscina fails on a reply from a destroyed pool.
      await Promise.allSettled(warming);
      await inner?.close();
    },
  };
}
