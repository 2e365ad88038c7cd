import { inThreadExecutor } from "../batch/in-thread-executor.js";
import type { JobExecutor } from "../batch/job.js";
import { poolExecutor } from "../batch/pool-executor.js";
import { runJobs } from "../batch/run-jobs.js";
import { type Budget, budgetCut } from "./budget.js";
import { executeRun } from "./execute.js";
import { openSweepJournal, type SweepJournal } from "./journal.js";
import type { Plan, PlannedRun } from "./plan.js";
import { type Divergence, divergence, EXPLODE_FACTOR, type RunRecord } from "./record.js";
import type { RunSpec } from "./spec.js";

export interface SweepOptions {
  /** Worker threads (0: run in this thread, without a pool). */
  workers: number;
  /** Cap on the work (null: run everything). */
  budget?: Budget | null;
  /** Journal path for `--resume`: finished runs are appended to it and skipped on a rerun. */
  journal?: string | null;
  /** A last loss above this × the initial loss counts as diverged ("exploded"); default 1000. */
  explodeFactor?: number;
  /** Called on this thread as each run finishes (completion order), for progress output. */
  onRun?: (result: RunResult, done: number, total: number, rate: number | null) => void;
  /** Runs the cells instead of this thread or the pool (a queue); the caller closes it. */
  executor?: JobExecutor<RunSpec, RunRecord>;
}

/** A finished run with its place in the plan. */
export interface RunResult {
  run: PlannedRun;
  record: RunRecord;
  divergence: Divergence;
  /** Taken from the resume journal rather than run now. */
  resumed: boolean;
}

/** What reading the journal found. */
export interface JournalInfo {
  tornBytes: number;
  /** Lines ignored: not JSON, wrong shape or values (schema), key not the spec's hash, repeats. */
  ignoredLines: number;
  /** The first ignored line's problem (`line 3: result.finalLoss: …`), or null. */
  firstProblem: string | null;
  otherRuns: number;
}

/** A sweep ready to run: the budget applied and the journal read, nothing run yet. */
export interface PreparedSweep {
  /** The runs within the budget, in plan order. */
  selected: PlannedRun[];
  /** Runs of the plan left out by the budget, in plan order. */
  skipped: PlannedRun[];
  /** How many selected runs the journal already holds. */
  resumed: number;
  /** What reading the journal found, or null without one. */
  journal: JournalInfo | null;
  /** Runs the rest (on the pool), appending each to the journal as it finishes. */
  run(): Promise<SweepOutcome>;
}

export interface SweepOutcome {
  /** Every run in the budget, sorted by setting (grid order), then seed — never completion order. */
  results: RunResult[];
  skipped: PlannedRun[];
  resumed: number;
  journal: PreparedSweep["journal"];
  /** Wall time of `run()` (the runs done now), milliseconds. */
  elapsedMs: number;
}

/**
 * Prepares a planned sweep: cuts the plan to the budget and reads the journal. `run()` then
 * hands the runs to the batch runner (src/batch) — executeRun in this thread, or on a pool of
 * `workers` threads — which skips the runs the journal holds (by run key; entries of other
 * plans are counted and left alone), appends each new one (fsync'd) as it finishes and stops
 * at the first failed run (a JobFailure, once the runs in flight finish). The results are
 * sorted by setting and seed, so the output depends neither on the worker count nor on the
 * completion order. Never prints.
 */
export function prepareSweep(plan: Plan, options: SweepOptions): PreparedSweep {
  const factor = options.explodeFactor ?? EXPLODE_FACTOR;
  const cut = budgetCut(
    plan.runs.map((r) => r.spec),
    options.budget ?? null,
  );
  const selected = plan.runs.slice(0, cut);
  const skipped = plan.runs.slice(cut);
  const byKey = new Map(selected.map((r) => [r.key, r]));
  const journal: SweepJournal | null = options.journal ? openSweepJournal(options.journal) : null;
  const held = journal ? [...journal.entries.keys()] : [];
  const resumed = held.filter((key) => byKey.has(key)).length;
  const info: JournalInfo | null = journal && {
    tornBytes: journal.tornBytes,
    ignoredLines: journal.ignoredLines,
    firstProblem: journal.firstProblem,
    otherRuns: held.length - resumed,
  };
  const resultOf = (key: string, record: RunRecord, fromJournal: boolean): RunResult => ({
    run: byKey.get(key)!,
    record,
    divergence: divergence(record, factor),
    resumed: fromJournal,
  });

  const run = async (): Promise<SweepOutcome> => {
    const t0 = performance.now(); // the pool's start-up included: it is part of what a run costs
    const pending = selected.length - resumed;
    const executor: JobExecutor<RunSpec, RunRecord> =
      options.executor ??
      (options.workers === 0 || pending === 0
        ? inThreadExecutor(executeRun)
        : poolExecutor({
            module: new URL("./execute.js", import.meta.url),
            exportName: "executeRun",
            threads: Math.min(options.workers, pending),
          }));
    try {
      const batch = await runJobs(
        selected.map((r) => ({ key: r.key, request: r.spec })),
        {
          executor,
          journal,
          onProgress: (progress, outcome) => {
            if (!outcome.ok) return;
            const result = resultOf(outcome.key, outcome.result, false);
            options.onRun?.(result, progress.done, progress.total, progress.rate);
          },
        },
      );
      const order = new Map(plan.seeds.map((s, i) => [s, i]));
      const results = batch.outcomes
        .flatMap((o) => (o.ok ? [resultOf(o.key, o.result, o.resumed)] : []))
        .sort(
          (a, b) =>
            a.run.setting.index - b.run.setting.index ||
            order.get(a.run.seed)! - order.get(b.run.seed)!,
        );
      return { results, skipped, resumed, journal: info, elapsedMs: performance.now() - t0 };
    } finally {
      if (!options.executor) await executor.close();
      journal?.close();
    }
  };
  return { selected, skipped, resumed, journal: info, run };
}

/** prepareSweep(…).run(): the whole sweep in one call. */
export function runSweep(plan: Plan, options: SweepOptions): Promise<SweepOutcome> {
  return prepareSweep(plan, options).run();
}
