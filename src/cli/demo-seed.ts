import { InputError } from "../core/errors.js";
import { readDataset } from "../data/csv.js";
import { runSeedDemo, SEED_DEFAULTS, type SeedDemoOptions } from "../demos/seed.js";
import { planOutputs } from "../io/output-plan.js";
import { historyColumns } from "../learn/run-summary.js";
import { type SeedCurve, seedComparisonSpec } from "../report/seed-spec.js";
import { trainingSpec } from "../report/training-spec.js";
import { sci, table } from "./format.js";
import type { CliIO } from "./io.js";
import { checkPlot, writePlot } from "./plot-output.js";
import { parseNumber } from "./specs.js";

export interface DemoSeedFlags {
  lr: number;
  clip: number;
  iterations: number;
  seed: number;
  rng: "numpy" | "xoshiro";
  faithful?: boolean;
  compare?: boolean;
  logEvery: number;
  data?: string;
  start?: string;
  /** The MSE per iteration (with --compare: both runs side by side), FILE.svg or FILE.png. */
  plot?: string;
}

/**
 * `biograd demo seed`: the seed document's example, printed as it prints it
 * (`Iteration i, MSE: m` every 100 iterations, then w and b). With `--compare`, the same
 * data and start also run without clipping and both are shown side by side.
 */
export async function demoSeed(flags: DemoSeedFlags, io: CliIO): Promise<number> {
  checkPlot(flags.plot);
  const plan = planOutputs(
    [{ option: "--plot", path: flags.plot }],
    flags.data ? [flags.data] : [],
  );
  const base: SeedDemoOptions = {
    lr: flags.lr,
    clip: flags.clip,
    iterations: flags.iterations,
    seed: flags.seed,
    rng: flags.rng,
    faithful: flags.faithful ?? false,
    logEvery: flags.logEvery,
  };
  if (flags.data) base.data = readDataset(flags.data, { x: ["x"], y: "y" });
  if (flags.start) base.start = parseStart(flags.start);
  if (Boolean(flags.data) !== Boolean(flags.start)) {
    throw new InputError(
      "demo seed: --data and --start go together (the data file and its starting w,b)",
    );
  }

  if (!flags.compare) {
    const run = runSeedDemo({
      ...base,
      onLog: (r) => io.out(`Iteration ${r.epoch}, MSE: ${r.loss}`),
    });
    const { w, b } = run.result.named as { w: number[]; b: number };
    io.out(`w = ${w[0]}, b = ${b}`);
    const plotted = await writePlot(plan, () =>
      trainingSpec(historyColumns(run.result.history), {
        title: "Seed example: MSE and gradient norm",
      }),
    );
    if (plotted) io.out(plotted);
    return 0;
  }

  const { curves } = printSeedComparison(base, io);
  const plotted = await writePlot(plan, () => seedComparisonSpec(curves));
  if (plotted) io.out(plotted);
  return 0;
}

/**
 * The seed's data and start run twice, clipped and plain, printed side by side (the MSE every
 * `logEvery` iterations, the final w, b and MSE, how many steps were clipped); returns both
 * runs' MSE per iteration for the picture.
 */
export function printSeedComparison(base: SeedDemoOptions, io: CliIO): SeedComparison {
  const clip = base.clip ?? SEED_DEFAULTS.clip;
  const every = base.logEvery ?? SEED_DEFAULTS.logEvery;
  const clipped = runSeedDemo(base);
  const plain = runSeedDemo({ ...base, data: clipped.data, start: clipped.start, clip: null });
  const rows: string[][] = [["iteration", `clipped ±${clip} MSE`, "plain GD MSE"]];
  const a = clipped.result.history;
  const p = plain.result.history;
  for (let i = 0; i < Math.max(a.length, p.length); i += every) {
    rows.push([String(i), cell(a[i]?.loss), cell(p[i]?.loss)]);
  }
  const named = (r: typeof clipped) => r.result.named as { w: number[]; b: number };
  rows.push(["final w", cell(named(clipped).w[0]), cell(named(plain).w[0])]);
  rows.push(["final b", cell(named(clipped).b), cell(named(plain).b)]);
  rows.push(["final MSE", cell(clipped.result.finalLoss), cell(plain.result.finalLoss)]);
  rows.push(["steps clipped", `${count(a)}/${a.length}`, "-"]);
  rows.push(["stopped", clipped.result.stopReason, plain.result.stopReason]);
  for (const line of table(rows, "   ")) io.out(line);
  return {
    curves: [
      { label: `clipped ±${clip}`, loss: a.map((r) => r.loss) },
      { label: "plain gradient descent", loss: p.map((r) => r.loss) },
    ],
    finalLoss: { clipped: clipped.result.finalLoss, plain: plain.result.finalLoss },
    clippedSteps: count(a),
  };
}

export interface SeedComparison {
  curves: SeedCurve[];
  finalLoss: { clipped: number; plain: number };
  clippedSteps: number;
}

export function cell(x: number | undefined): string {
  return x === undefined ? "-" : sci(x, 6);
}

export function count(history: readonly { clipFraction: number }[]): number {
  return history.reduce((s, r) => s + (r.clipFraction > 0 ? 1 : 0), 0);
}

function parseStart(text: string): [number, number] {
  const parts = text.split(",");
  if (parts.length !== 2)
    throw new InputError(`--start: expected "w,b" (two numbers), got "${text}"`);
  return [parseNumber("--start", parts[0]!), parseNumber("--start", parts[1]!)];
}

export { SEED_DEFAULTS };
