import { JobFailure } from "../batch/job.js";
import { sweepSpec } from "../report/sweep-spec.js";
import { aggregate } from "../sweep/aggregate.js";
import { outFormat, runRow, sweepCsv, sweepJson } from "../sweep/output.js";
import type { Plan } from "../sweep/plan.js";
import { recommend } from "../sweep/recommend.js";
import { prepareSweep, type SweepOutcome } from "../sweep/run.js";
import { table } from "./format.js";
import type { CliIO } from "./io.js";
import { writePlot } from "./plot-output.js";
import { type QueueFlags, sweepQueue } from "./queue-submit.js";
import type { SweepFlags } from "./sweep-flags.js";
import {
  budgetLine,
  gridLine,
  progressLine,
  ranLine,
  resumeLine,
  tableRows,
} from "./sweep-print.js";
import type { Setup } from "./sweep-setup.js";

/**
 * Runs a planned sweep and prints it: the plan, progress (stderr), the ranked table, the
 * recommendation, and the --out file. A run that fails stops the sweep with that run's
 * error, named by its setting and seed.
 */
export async function executeSweep(
  io: CliIO,
  kind: "train" | "fit",
  flags: SweepFlags,
  setup: Setup,
  plan: Plan,
  runBudget: string,
): Promise<number> {
  if (setup.workersNote) io.err(`note: ${setup.workersNote}`);
  io.out(gridLine(setup.grid, plan.runs.length, runBudget));
  let progressStep = 0;
  const { queue: url } = flags as QueueFlags;
  const queue = url === undefined ? null : await sweepQueue({ ...flags, queue: url }, io);
  const sweep = prepared(queue, () =>
    prepareSweep(plan, {
      executor: queue?.executor,
      workers: setup.workers,
      budget: setup.budget,
      journal: flags.resume ?? null,
      explodeFactor: flags.explodeFactor,
      onRun: (_r, done, selected, rate) => {
        const step = Math.max(1, Math.floor(selected / 10));
        if (done >= progressStep + step || done === selected) {
          progressStep = done;
          io.err(progressLine(done, selected, rate));
        }
      },
    }),
  );
  const { selected, skipped } = sweep;
  if (setup.budget) {
    io.out(budgetLine(setup.budget, selected.length, plan.runs.length, skipped));
  }
  if (sweep.journal) {
    io.out(resumeLine(sweep.journal, flags.resume!, sweep.resumed, selected.length));
  }
  let outcome: SweepOutcome;
  try {
    outcome = await sweep.run();
  } catch (error) {
    if (!(error instanceof JobFailure)) throw error;
    const run = plan.runs.find((r) => r.key === error.key);
    throw error.toError(run ? `run ${run.setting.label} seed ${run.seed}` : `run ${error.key}`);
  } finally {
    await queue?.close();
  }
  const { results } = outcome;
  io.out(ranLine(results.length - outcome.resumed, setup.workers, outcome.elapsedMs));

  const hasThreshold = flags.lossThreshold !== undefined;
  const ranked = aggregate(plan, results, hasThreshold);
  io.out("");
  for (const line of table(tableRows(ranked, flags.lossThreshold))) io.out(line);
  const unrun = plan.settings.filter((s) => !ranked.some((r) => r.setting === s));
  if (unrun.length) io.out(`not run (budget): ${unrun.map((s) => s.label).join(", ")}`);
  const rec = recommend(ranked, results, {
    within: flags.within,
    lossThreshold: flags.lossThreshold,
  });
  io.out("");
  for (const line of rec.text) io.out(line);

  if (flags.out) {
    const text =
      outFormat(flags.out) === "csv"
        ? sweepCsv(results)
        : sweepJson({
            command: kind,
            settings: { ...flags },
            results,
            skipped,
            table: ranked,
            recommendation: rec,
          });
    setup.outputs.write("--out", text);
    io.out(`wrote ${flags.out}`);
  }
  const plotted = await writePlot(setup.outputs, () => sweepSpec(results.map(runRow), rec));
  if (plotted) io.out(plotted);
  return 0;
}

/** Closes the queue (its open connection would keep the process alive) when preparing fails. */
function prepared<T>(queue: { close(): Promise<void> } | null, prepare: () => T): T {
  try {
    return prepare();
  } catch (error) {
    void queue?.close();
    throw error;
  }
}
