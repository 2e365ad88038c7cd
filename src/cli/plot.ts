import { planOutputs } from "../io/output-plan.js";
import { readJsonFile } from "../learn/saved-network.js";
import { drawChart, plotFormat } from "../report/plot-format.js";
import { chartForResult } from "../report/result-chart.js";
import type { CliIO } from "./io.js";

export interface PlotFlags {
  out: string;
  width?: number;
}

/**
 * `biograd plot RESULT.json --out FILE.svg|FILE.png`: the chart of a saved fit, training run or
 * sweep. The output (extension, directory, not the input) is checked before the result is
 * read; the result is checked by schema before anything is drawn.
 */
export async function plotCommand(file: string, flags: PlotFlags, io: CliIO): Promise<number> {
  const format = plotFormat("--out", flags.out);
  const plan = planOutputs([{ option: "--out", path: flags.out }], [file]);
  const spec = chartForResult(readJsonFile(file), file);
  const picture = await drawChart(spec, format, flags.width ? { width: flags.width } : {});
  plan.write("--out", picture);
  io.out(`wrote ${flags.out}`);
  return 0;
}
