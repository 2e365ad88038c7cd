import { createHash } from "node:crypto";
import type { Job } from "../batch/job.js";
import type { ChunkResult } from "./fit-groups-chunk.js";
import type { GroupedRows } from "./fit-groups-data.js";
import type { GroupRow } from "./fit-groups-row.js";
import { groupsCsvBytes } from "./groups-csv.js";

/** What a grouped fit's caller takes as chunks are delivered in group order. */
export interface DeliverTo {
  onRows?: (rows: readonly GroupRow[]) => void;
  /** The CSV lines of each chunk delivered, as UTF-8 (`groupsCsvBytes`). */
  onCsvBytes?: (bytes: Uint8Array) => void;
  /** Rows kept for the result, the first ones (Infinity: all). */
  keep: number;
  /** The model's parameters (the CSV's columns). */
  params: readonly string[];
}

/**
 * Chunks' results put back in group order as they finish: a chunk goes out once every chunk
 * before it is done; counts are kept as they go, and only the first `keep` rows stay. A
 * delivered chunk is emptied (the batch runner still holds it) unless every row is kept, so
 * memory holds only the chunks waiting for an earlier one.
 */
export function orderedRows(jobs: readonly Job<unknown>[], to: DeliverTo) {
  const index = new Map(jobs.map((j, k) => [j.key, k]));
  const waiting = new Map<number, ChunkResult>();
  let next = 0;
  const state = {
    fitted: 0,
    flagged: 0,
    delivered: 0,
    kept: [] as GroupRow[],
    indexOf: (key: string) => index.get(key)!,
    ready: (job: number, result: ChunkResult) => void waiting.set(job, result),
    /** Delivers what is in order; with `skipGaps`, also past chunks that never ran. */
    flush(skipGaps: boolean) {
      while (next < jobs.length) {
        const r = waiting.get(next);
        if (r === undefined && !skipGaps) return;
        waiting.delete(next++);
        if (r === undefined) continue;
        state.fitted += r.fitted;
        state.flagged += r.flagged;
        // A chunk's rows are its first ones when it holds fewer than its groups.
        for (const row of r.rows) {
          if (state.kept.length >= to.keep) break;
          state.kept.push(row);
        }
        state.delivered += r.groups;
        to.onRows?.(r.rows);
        if (to.onCsvBytes) to.onCsvBytes(r.csv ?? groupsCsvBytes(r.rows, to.params));
        if (to.keep !== Infinity) {
          r.rows = [];
          r.csv = null;
          r.json = null;
        }
      }
    },
  };
  return state;
}

/**
 * A chunk's journal key: its position and a hash of what its numbers depend on (biograd's
 * version, the request, the groups' names and rows), so a rerun of another command or on
 * changed data never takes a stale result. Without a journal the position alone (`hash`
 * false): the key then only tells the chunks apart.
 */
export function chunkKey(
  settings: string,
  rows: GroupedRows,
  first: number,
  count: number,
  hashed: boolean,
): string {
  const name = `groups:${first}-${first + count - 1}`;
  if (!hashed) return name;
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
  return `${name}:${hash.digest("hex").slice(0, 24)}`;
}
