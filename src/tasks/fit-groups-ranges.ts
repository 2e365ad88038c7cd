import { createHash } from "node:crypto";
import { errorData, type Job, JobFailure } from "../batch/job.js";
import type { JobJournal } from "../batch/journal.js";
import { InputError } from "../core/errors.js";
import { monotonicMs } from "../core/monotonic-ms.js";
import type { GroupRange, GroupRanges } from "../data/group-ranges.js";
import type { ChunkResult, ChunkWants, RangeGroupsChunk } from "./fit-groups-chunk.js";
import type { ChunkRef, RangeOutcome } from "./fit-groups-executor.js";
import type { orderedRows } from "./fit-groups-order.js";

/** Groups read before the first range goes out: a file that is not grouped shows it early. */
export const LEAD_GROUPS = 1000;

export interface RangeRunSetup {
  scan: GroupRanges;
  /** What a range's chunk carries besides its bytes. */
  chunk: Omit<RangeGroupsChunk, "bytes" | "count" | "want" | "firstLine">;
  /** Hash the range into its key (a journal): `settings` is what else the numbers depend on. */
  hashed: boolean;
  settings: string;
  /** Runs ranges as one task (keyed by the first): their outcomes in order. */
  run: (
    items: { key: string; chunk: RangeGroupsChunk }[],
    signal?: AbortSignal,
  ) => Promise<RangeOutcome[]>;
  /** Ranges handed to `run` at once (each still its own job, journaled and delivered alone). */
  rangesPerTask: number;
  wants: (ref: ChunkRef) => ChunkWants;
  journal: JobJournal<ChunkRef, ChunkResult> | null;
  /** Ranges in flight at once. */
  concurrency: number;
  signal?: AbortSignal;
  /** The ordered delivery; `jobs` is its list, to which each range's job is added. */
  stream: ReturnType<typeof orderedRows>;
  jobs: Job<ChunkRef>[];
  /** Called once after the lead, before any range is fitted (counts are estimates). */
  onStart: (estimate: { groups: number; chunks: number }) => void;
  onProgress: (progress: RangeProgress) => void;
  groupsPerChunk: number;
  leadGroups?: number;
}

export interface RangeProgress {
  done: number;
  resumed: number;
  /** Chunks in all, estimated from the bytes read until the file is read. */
  total: number;
  groupsDone: number;
  groups: number;
  bytesRead: number;
  bytesTotal: number;
  elapsedMs: number;
  rate: number | null;
  etaMs: number | null;
}

export type RangeRunOutcome =
  | { ungrouped: true; delivered: boolean }
  | {
      ungrouped: false;
      groups: number;
      chunks: number;
      resumed: number;
      aborted: boolean;
      elapsedMs: number;
    };

/**
 * A grouped fit over a grouped file, read as it is fitted: ranges of whole groups are cut from
 * the file (`group-ranges.ts`) only as fast as they are taken — at most `concurrency` in
 * flight — so memory does not grow with the file. Each range is a job (journaled, resumed by
 * its key as `runJobs` does), its results delivered in group order. When the scan or a
 * range's parser needs the whole-file reader it stops handing out ranges and returns
 * `ungrouped` once those in flight settle (`delivered`: whether any rows went out).
 */
export async function runRanges(setup: RangeRunSetup): Promise<RangeRunOutcome> {
  const { scan, journal, stream, jobs, signal } = setup;
  const t0 = monotonicMs();
  const lead: GroupRange[] = [];
  let ungrouped = false;
  let ended = false;
  const pull = (): GroupRange | null => {
    if (ungrouped || ended) return null;
    const r = scan.next();
    if (r === "ungrouped") ungrouped = true;
    else if (r === null) ended = true;
    else return r;
    return null;
  };
  while (scan.groups() < (setup.leadGroups ?? LEAD_GROUPS)) {
    const r = pull();
    if (r === null) break;
    lead.push(r);
  }
  if (ungrouped) return { ungrouped: true, delivered: false };

  let done = 0;
  let resumed = 0;
  let ran = 0;
  let groupsDone = 0;
  // The first range (in file order) that stopped the run: its error, or null when it needs
  // the whole-file reader — which then names the first problem in the file.
  let stopped: { index: number; error: unknown } | null = null;
  const stop = (index: number, error: unknown) => {
    if (stopped === null || index < stopped.index) stopped = { index, error };
  };
  let broken: { error: unknown } | null = null;
  // Until the file is read, its groups are estimated from the groups per byte so far.
  const estimate = () => {
    const scanned = Math.max(1, scan.bytesScanned());
    const groups = ended
      ? scan.groups()
      : Math.max(scan.groups(), Math.round((scan.groups() * scan.size) / scanned));
    return { total: Math.ceil(groups / setup.groupsPerChunk), groups };
  };
  const progress = () => {
    const { total, groups } = estimate();
    const elapsedMs = monotonicMs() - t0;
    const rate = ran > 0 && elapsedMs > 0 ? ran / (elapsedMs / 1000) : null;
    setup.onProgress({
      done,
      resumed,
      total,
      groupsDone,
      groups,
      bytesRead: scan.bytesScanned(),
      bytesTotal: scan.size,
      elapsedMs,
      rate,
      etaMs: rate === null ? null : ((total - done) / rate) * 1000,
    });
  };
  const nextRange = () => (lead.length > 0 ? lead.shift()! : pull());
  const handingOut = () => !ungrouped && stopped === null && broken === null && !signal?.aborted;

  const first = estimate();
  setup.onStart({ groups: first.groups, chunks: first.total });
  const deliver = (
    index: number,
    range: GroupRange,
    job: Job<ChunkRef>,
    result: ChunkResult,
    fresh: boolean,
  ) => {
    try {
      if (fresh) journal?.append(job, result);
      done++;
      groupsDone += range.count;
      stream.ready(index, result);
      stream.flush(false);
      progress();
    } catch (error) {
      broken ??= { error };
    }
  };
  const lane = async (): Promise<void> => {
    while (handingOut()) {
      // The next ranges in file order (consecutive jobs: no other lane runs in between).
      const taken: {
        range: GroupRange;
        index: number;
        job: Job<ChunkRef>;
        result?: ChunkResult;
      }[] = [];
      // Fewer ranges per task as the file's end nears (its ranges estimated from the bytes
      // read): the last tasks are small, so no worker idles long while another finishes.
      const left = estimate().total - jobs.length;
      const perTask = Math.max(
        1,
        Math.min(setup.rangesPerTask, Math.ceil(left / (2 * Math.max(1, setup.concurrency)))),
      );
      while (taken.length < perTask) {
        const range = nextRange();
        if (range === null) break;
        const ref: ChunkRef = { first: range.first, count: range.count };
        const job: Job<ChunkRef> = { key: rangeKey(setup, range), request: ref };
        taken.push({
          range,
          index: jobs.length,
          job,
          result: journal?.entries.get(job.key)?.result,
        });
        jobs.push(job);
      }
      if (taken.length === 0) return;
      const toRun = taken.filter((t) => t.result === undefined);
      let outcomes: RangeOutcome[] = [];
      if (toRun.length > 0) {
        try {
          outcomes = await setup.run(
            toRun.map(({ range, job }) => ({
              key: job.key,
              chunk: {
                ...setup.chunk,
                bytes: range.bytes,
                firstLine: range.firstLine,
                count: range.count,
                want: setup.wants(job.request),
              },
            })),
            signal,
          );
        } catch (error) {
          stop(toRun[0]!.index, error);
          return;
        }
      }
      let next = 0;
      for (const t of taken) {
        if (t.result !== undefined) {
          resumed++;
          deliver(t.index, t.range, t.job, t.result, false);
          continue;
        }
        const outcome = outcomes[next++]!;
        if (!outcome.ok) {
          stop(t.index, outcome.error);
          return;
        }
        if (outcome.result === null) {
          stop(t.index, null); // a line the range parser hands back: the whole-file reader's
          return;
        }
        ran++;
        deliver(t.index, t.range, t.job, outcome.result, true);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, setup.concurrency) }, lane));
  if (broken !== null) throw (broken as { error: unknown }).error;
  if (stopped !== null) {
    const { index, error } = stopped as { index: number; error: unknown };
    if (error === null) return { ungrouped: true, delivered: stream.delivered > 0 };
    // Bad input found by a range's parser (a worker's error arrives as data): as the
    // whole-file reader would throw it; anything else is the failed job it is.
    const data = errorData(error);
    if (data.code === "bad_input") throw new InputError(data.message);
    throw new JobFailure(jobs[index]!.key, data);
  }
  if (ungrouped) return { ungrouped: true, delivered: stream.delivered > 0 };
  const aborted = signal?.aborted === true && (!ended || lead.length > 0);
  // After an abort the groups not read are counted still (the scan alone is quick).
  while (aborted && pull() !== null) {}
  if (ungrouped) return { ungrouped: true, delivered: stream.delivered > 0 };
  return {
    ungrouped: false,
    groups: scan.groups(),
    chunks: jobs.length,
    resumed,
    aborted,
    elapsedMs: monotonicMs() - t0,
  };
}

/**
 * A range's key: its groups' positions and, with a journal, a hash of what its numbers depend
 * on (biograd's version, the request, the header and the range's bytes), so a rerun on changed
 * data or with another command never takes a stale result.
 */
function rangeKey(setup: RangeRunSetup, range: GroupRange): string {
  const name = `groups:${range.first}-${range.first + range.count - 1}`;
  if (!setup.hashed) return name;
  const hash = createHash("sha256")
    .update(setup.settings)
    .update(setup.scan.headerLine)
    .update("\n")
    .update(range.bytes);
  // No spaces: the journal takes printable ASCII keys only (batch/journal-line.ts).
  return `${name}:${hash.digest("hex").slice(0, 24)}`;
}
