import type { OutputPlan } from "../io/output-plan.js";
import { drawChart, type PlotFormat, plotFormat } from "../report/plot-format.js";
import type { ChartSpec } from "../report/theme.js";

/**
 * `--plot FILE.svg|FILE.png` on the commands that run something: the extension is checked
 * here, before the run (the directory and the rest by `planOutputs` with the other outputs);
 * the picture is drawn after it — also for a run that failed, whose picture shows why.
 */
export function checkPlot(path: string | undefined): PlotFormat | null {
  return path === undefined ? null : plotFormat("--plot", path);
}

/** Draws `spec` into the planned `--plot` file; returns the "wrote" line, or null without --plot. */
export async function writePlot(
  plan: OutputPlan,
  spec: () => ChartSpec,
  option = "--plot",
): Promise<string | null> {
  const path = plan.path(option);
  if (path === undefined) return null;
  const picture = await drawChart(spec(), plotFormat(option, path));
  plan.write(option, picture);
  return `wrote ${path} (chart)`;
}
