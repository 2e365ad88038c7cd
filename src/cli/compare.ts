import { InputError } from "../core/errors.js";
import { planOutputs } from "../io/output-plan.js";
import { type CompareModelsResult, runCompareModels } from "../tasks/compare-models.js";
import type { CompareModelsRequest } from "../tasks/compare-request.js";
import { compareCsv, printComparison } from "./compare-output.js";
import { CLI_LABELS, type FitFlags, fitRequest } from "./fit-request.js";
import type { CliIO } from "./io.js";

export interface CompareFlags extends Omit<FitFlags, "model" | "out" | "residuals" | "ci"> {
  models: string;
  group?: string;
  alpha?: number;
  out?: string;
}

/**
 * `biograd compare FILE --models 4pl,5pl --x … --y … [--group col]`: the `compare-models`
 * task. `--out` (checked before any work) is CSV (one row per group and model) or, for a
 * `.json` name, the whole result. Exit 0 when at least one comparison succeeded, else 1.
 */
export function compareCommand(file: string, flags: CompareFlags, io: CliIO): number {
  const plan = planOutputs([{ option: "--out", path: flags.out }], [file]);
  const models = flags.models.split(",").map((m) => m.trim());
  if (models.some((m) => m === "") || models.length < 2) {
    throw new InputError(
      `--models: expected two or more models, e.g. 4pl,5pl; got "${flags.models}"`,
    );
  }
  // The fit options are parsed exactly as `biograd fit` parses them.
  const { task: _task, model: _model, ...fit } = fitRequest(file, { ...flags, model: models[0]! });
  const request: CompareModelsRequest = { task: "compare-models", ...fit, models };
  if (flags.group !== undefined) request.group = flags.group.split(",").map((g) => g.trim());
  if (flags.alpha !== undefined) request.alpha = flags.alpha;
  const result: CompareModelsResult = runCompareModels(request, { labels: CLI_LABELS });
  if (flags.format === "json") io.out(JSON.stringify(result));
  else printComparison(io, result);
  if (flags.out !== undefined) {
    const json = flags.out.toLowerCase().endsWith(".json");
    plan.write("--out", json ? `${JSON.stringify(result, null, 2)}\n` : compareCsv(result));
    (flags.format === "json" ? io.err : io.out)(`wrote ${flags.out}`);
  }
  const failed = result.comparisons.filter((c) => c.failed).length;
  if (failed === result.comparisons.length) {
    io.err("biograd: no comparison succeeded");
    return 1;
  }
  return 0;
}
