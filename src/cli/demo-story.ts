import { join, resolve } from "node:path";
import { CLIPPING_DEFAULTS, runClippingDemo } from "../demos/clipping.js";
import { SEED_DEFAULTS } from "../demos/seed.js";
import { planOutputs } from "../io/output-plan.js";
import { clippingDemoSpec } from "../report/clipping-demo-spec.js";
import { seedComparisonSpec } from "../report/seed-spec.js";
import { DEMO_PICTURES } from "./demo-command.js";
import { cell, count, printSeedComparison } from "./demo-seed.js";
import { sci, table } from "./format.js";
import type { CliIO } from "./io.js";
import { writePlot } from "./plot-output.js";

export interface DemoFlags {
  /** Directory the two pictures are written to (default: the current directory). */
  plotDir: string;
  /** false with --no-plots. */
  plots: boolean;
}

export { DEMO_PICTURES };

/**
 * `biograd demo` (`npm run demo`): the whole story in one run. First the seed's example, where
 * the ±0.1 clip binds at every step and plain gradient descent wins; then a fit where the same
 * clip is what makes gradient descent work (exponential growth of Carlson's yeast culture);
 * both pictures written, and one line saying where. Both picture paths are checked before
 * anything runs and written atomically (`planOutputs`).
 */
export async function demoStory(flags: DemoFlags, io: CliIO): Promise<number> {
  const pictures = flags.plots
    ? {
        seed: planOutputs(
          [{ option: "--plot-dir", path: join(flags.plotDir, DEMO_PICTURES.seed) }],
          [],
        ),
        clipping: planOutputs(
          [{ option: "--plot-dir", path: join(flags.plotDir, DEMO_PICTURES.clipping) }],
          [],
        ),
      }
    : null;
  const { lr, clip, iterations } = SEED_DEFAULTS;
  paragraph(
    io,
    `1. The seed's example: y = wx + b on 100 points, lr ${lr}, gradient clipped to ±${clip}, ${iterations} iterations`,
  );
  const seed = printSeedComparison({}, io);
  const steps = seed.curves[0]!.loss.length;
  paragraph(
    io,
    `The ±${clip} clip binds ${seed.clippedSteps === steps ? "at every step" : "in"} (${seed.clippedSteps}/${steps} steps), so no step is longer ` +
      `than ${lr}·${clip}: the clipped run crawls (final MSE ${sci(seed.finalLoss.clipped, 4)}) while ` +
      `plain gradient descent reaches the least-squares fit (MSE ${sci(seed.finalLoss.plain, 4)}). ` +
      "On a problem this well-behaved, clipping only slows descent down.",
  );
  io.out("");
  const seedPlot =
    pictures &&
    (await writePlot(pictures.seed, () => seedComparisonSpec(seed.curves), "--plot-dir"));

  const growth = printGrowthComparison(io);
  const clippingPlot =
    pictures &&
    (await writePlot(
      pictures.clipping,
      () =>
        clippingDemoSpec(growth.runs, growth.chartData, {
          title: "Yeast growth, y = a·exp(b·t): plain gradient descent diverges, clipped converges",
        }),
      "--plot-dir",
    ));
  if (seedPlot && clippingPlot) {
    io.out(
      `wrote ${DEMO_PICTURES.seed} and ${DEMO_PICTURES.clipping} in ${resolve(flags.plotDir)}`,
    );
  }
  return 0;
}

/** Part 2: the yeast growth fit, clipped and plain, printed side by side and explained. */
function printGrowthComparison(io: CliIO) {
  const { lr, clip, iterations, start, scale, logEvery } = CLIPPING_DEFAULTS;
  paragraph(
    io,
    `2. Where clipping is needed: yeast growth y = a·exp(b·t) (Carlson 1913, hours 0-7, amount/${scale}); ` +
      `the same algorithm, lr ${lr}, gradient clipped to ±${clip}, start a = ${start[0]}, b = ${start[1]}, ${iterations} iterations`,
  );
  const clipped = runClippingDemo();
  const plain = runClippingDemo({ clip: null });
  const a = clipped.result.history;
  const p = plain.result.history;
  const rows: string[][] = [["iteration", `clipped ±${clip} MSE`, "plain GD MSE"]];
  for (let i = 0; i < Math.max(a.length, p.length); i += logEvery) {
    rows.push([String(i), cell(a[i]?.loss), cell(p[i]?.loss)]);
  }
  const named = (r: typeof clipped) => r.result.named as { a: number; b: number };
  const c = named(clipped);
  const q = named(plain);
  rows.push(["final a", cell(c.a), cell(q.a)]);
  rows.push(["final b (per hour)", cell(c.b), cell(q.b)]);
  rows.push(["final MSE", cell(clipped.result.finalLoss), cell(plain.result.finalLoss)]);
  rows.push(["steps clipped", `${count(a)}/${a.length}`, "-"]);
  rows.push(["stopped", clipped.result.stopReason, plain.result.stopReason]);
  for (const line of table(rows, "   ")) io.out(line);

  // Where one unclipped step lands.
  const firstStep = runClippingDemo({ clip: null, iterations: 1 }).result.named as { b: number };
  const firstStepB = firstStep.b;
  paragraph(
    io,
    `Plain gradient descent diverges: its first gradient is ${sci(p[0]!.gradNorm, 2)} long, so the step ` +
      `throws b from ${start[1]} to ${sci(firstStepB, 4)} per hour; the curve is then zero after hour 0, its ` +
      `gradient in b vanishes, and the run never comes back (MSE ${sci(plain.result.finalLoss, 3)}). ` +
      `Clipped, no step is longer than ${lr}·${clip} in each parameter: the run walks down to where this ` +
      `rate is stable and converges to a = ${sci(c.a, 5)}, b = ${sci(c.b, 5)} per hour (doubling time ` +
      `${(Math.LN2 / c.b).toFixed(2)} h), MSE ${sci(clipped.result.finalLoss, 4)}.`,
  );
  io.out("");
  const predict = (r: typeof clipped) => (t: number) => r.model.predict(r.result.params, t);
  return {
    runs: [
      { label: `clipped ±${clip}`, loss: a.map((r) => r.loss), predict: predict(clipped) },
      { label: "plain gradient descent", loss: p.map((r) => r.loss), predict: predict(plain) },
    ],
    chartData: {
      t: clipped.data.t,
      y: clipped.data.y,
      xTitle: "hours",
      yTitle: `yeast (amount / ${scale})`,
    },
  };
}

/** Text wrapped at 100 columns, between words. */
function paragraph(io: CliIO, text: string, width = 100): void {
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      io.out(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") io.out(line);
}
