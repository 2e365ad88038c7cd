import { type Budget, budgetCut } from "./budget.js";
import { type Journal, openJournal } from "./journal.js";
import type { Plan, PlannedRun } from "./plan.js";
import { runOnPool } from "./pool.js";
import { type Divergence, divergence, EXPLODE_FACTOR, type RunRecord } from "./record.js";

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
  onRun?: (result: RunResult, done: number, total: number) => void;
}

/** A finished run with its place in the plan. */
export interface RunResult {
  run: PlannedRun;
  record: RunRecord;
  divergence: Divergence;
  /** Taken from the resume journal rather than run now. */
  resumed: boolean;
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
  journal: { tornBytes: number; ignoredLines: number; otherRuns: number } | null;
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
 * Prepares a planned sweep: cuts the plan to the budget and takes the runs the journal holds
 * (by run key; entries of other plans are counted and left alone). `run()` then runs the rest
 * on the worker pool — appending each to the journal (fsync'd) as it finishes — and returns the
 * results keyed and sorted, so the output depends neither on the worker count nor on the
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
  const done = new Map<string, RunResult>();
  let journal: Journal | null = null;
  let otherRuns = 0;
  if (options.journal) {
    journal = openJournal(options.journal);
    for (const [key, entry] of journal.entries) {
      const run = byKey.get(key);
      if (!run) {
        otherRuns++;
        continue;
      }
      const record = entry.record;
      done.set(key, { run, record, divergence: divergence(record, factor), resumed: true });
    }
  }
  const resumed = done.size;
  const info = journal
    ? { tornBytes: journal.tornBytes, ignoredLines: journal.ignoredLines, otherRuns }
    : null;

  const run = async (): Promise<SweepOutcome> => {
    const t0 = performance.now();
    const pending = selected.filter((r) => !done.has(r.key));
    try {
      await runOnPool(pending, options.workers, (key, record) => {
        const planned = byKey.get(key)!;
        journal?.append({ v: 1, key, spec: planned.spec, record });
        const result: RunResult = {
          run: planned,
          record,
          divergence: divergence(record, factor),
          resumed: false,
        };
        done.set(key, result);
        options.onRun?.(result, done.size, selected.length);
      });
    } finally {
      journal?.close();
    }
    const order = new Map(plan.seeds.map((s, i) => [s, i]));
    const results = [...done.values()].sort(
      (a, b) =>
        a.run.setting.index - b.run.setting.index ||
        order.get(a.run.seed)! - order.get(b.run.seed)!,
    );
    return { results, skipped, resumed, journal: info, elapsedMs: performance.now() - t0 };
  };
  return { selected, skipped, resumed, journal: info, run };
}

/** prepareSweep(…).run(): the whole sweep in one call. */
export function runSweep(plan: Plan, options: SweepOptions): Promise<SweepOutcome> {
  return prepareSweep(plan, options).run();
}
