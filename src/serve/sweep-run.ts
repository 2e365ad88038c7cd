import { resolve } from "node:path";
import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { aggregate } from "../sweep/aggregate.js";
import { executeRun } from "../sweep/execute.js";
import { parseGrid } from "../sweep/grid.js";
import { parseOptimizerGrid } from "../sweep/grid-optimizer.js";
import { runRow, sweepCsv, sweepJson } from "../sweep/output.js";
import { type PlannedRun, planSweep } from "../sweep/plan.js";
import { recommend } from "../sweep/recommend.js";
import { divergence } from "../sweep/record.js";
import type { RunResult } from "../sweep/run.js";
import { fileSha256 } from "../tasks/sweep-cell.js";
import type { TaskProgress } from "../tasks/types.js";
import { MAX_SWEEP_CELLS, sweepRequestSchema } from "./sweep-request.js";

/** `biograd sweep`'s defaults by kind: rates, optimizer, guard. */
const DEFAULTS = {
  train: { lr: "0.001,0.01,0.1", optimizer: "sgd", guard: "error" },
  fit: { lr: "0.01,0.05,0.2", optimizer: "adam", guard: "skip" },
} as const;

export interface SweepHooks {
  signal: AbortSignal;
  onCell: (row: ReturnType<typeof runRow>) => void;
  onProgress: (progress: TaskProgress) => void;
}

/**
 * Runs a sweep request cell by cell (this is already a worker thread), as `biograd sweep
 * train|fit` plans it: each finished cell is reported (the page's heat map fills in), and a
 * cancel stops before the next cell, keeping those done. Returns the document `biograd sweep
 * --out x.json` writes, and the CSV `--out x.csv` writes.
 */
export async function runSweepRequest(input: unknown, hooks: SweepHooks) {
  const request = parseWith(sweepRequestSchema, input, "request");
  const kind = request.run.task === "fit-curve" ? "fit" : "train";
  const defaults = DEFAULTS[kind];
  const opt = parseOptimizerGrid(request.optimizer ?? defaults.optimizer);
  const grid = parseGrid({ ...request.grid, lr: request.grid.lr ?? opt.lrInText ?? defaults.lr });
  for (const lr of grid.lrs) opt.at(lr);
  const cells = grid.clips.length * grid.lrs.length * grid.seeds.length;
  if (cells > MAX_SWEEP_CELLS) {
    throw new InputError(`request: grid: ${cells} runs, more than the limit of ${MAX_SWEEP_CELLS}`);
  }
  const data = request.run.data as { file: string };
  const source = { ...data, file: resolve(data.file) };
  const dataSha256 = fileSha256(source.file);
  const guard = request.guard ?? defaults.guard;
  const transform = (clip: unknown, lr: number) => ({ guard, clip, optimizer: opt.at(lr) });
  // As `sweep fit`: the first-order phase alone, with generated code.
  const { phases: _p, codegen: _c, ...fitRun } = request.run;
  const plan = planSweep(grid, (clip, lr, seed) =>
    kind === "train"
      ? {
          task: "sweep-cell",
          run: { ...request.run, data: source, transform: transform(clip, lr), seed },
          dataSha256,
        }
      : {
          task: "sweep-cell",
          run: { ...fitRun, data: source },
          firstOrder: {
            transform: transform(clip, lr),
            steps: request.steps,
            lossThreshold: request.lossThreshold,
            seed,
            startJitter: request.startJitter,
          },
          dataSha256,
        },
  );
  const results: RunResult[] = [];
  const skipped: PlannedRun[] = [];
  for (const run of plan.runs) {
    if (hooks.signal.aborted) {
      skipped.push(run);
      continue;
    }
    const record = await executeRun(run.spec);
    const result: RunResult = { run, record, divergence: divergence(record), resumed: false };
    results.push(result);
    hooks.onCell(runRow(result));
    hooks.onProgress({ done: results.length, total: plan.runs.length });
  }
  // Grid order, whatever order they ran in (as the CLI's outputs).
  results.sort((a, b) => a.run.setting.index - b.run.setting.index || a.run.seed - b.run.seed);
  const hasThreshold = request.lossThreshold !== undefined;
  const table = aggregate(plan, results, hasThreshold);
  const recommendation = recommend(table, results, {
    ...(request.within === undefined ? {} : { within: request.within }),
    ...(hasThreshold ? { lossThreshold: request.lossThreshold } : {}),
  });
  const settings = { ...request, run: { ...request.run, data: source } };
  const doc = JSON.parse(
    sweepJson({ command: kind, settings, results, skipped, table, recommendation }),
  );
  return { doc, csv: sweepCsv(results) };
}
