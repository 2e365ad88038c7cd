import type { ColumnChoice } from "./columns.js";
import { showError } from "./field-errors.js";
import type { ModelChoice } from "./model-choice.js";
import type { ParamsTable } from "./params.js";
import { readNumberList, readTraining } from "./training-form.js";

/**
 * The form as one task-layer request (docs/TASKS.md), its data the uploaded file:
 * fit → `fit-curve` (or `fit-groups` with grouping columns), compare → `compare-models`,
 * train → `train-linear` / `train-network`, sweep → `sweep` over clip thresholds and
 * learning rates (docs/SERVE.md). Returns null after showing what is missing next to its field.
 */
export type Mode = "fit" | "compare" | "train" | "sweep";

export interface FormParts {
  upload: string;
  columns: ColumnChoice;
  model: ModelChoice;
  params: ParamsTable;
  /** The library models ticked for a comparison. */
  compared: () => string[];
}

export function buildRequest(mode: Mode, form: FormParts): Record<string, unknown> | null {
  const data = { upload: form.upload };
  const y = form.columns.yColumn();
  const group = form.columns.groups();
  if (mode === "fit") {
    const model = form.model.value();
    if (model === "") return fail("formula", "formula: type a formula such as Vm*x/(K+x)");
    const settings = form.params.read();
    if (settings === null) return null;
    const constants = readConstants();
    if (constants === null) return null;
    const { share, ...rest } = settings;
    const base = {
      data,
      model,
      x: form.columns.x(),
      y,
      ...rest,
      ...(Object.keys(constants).length > 0 ? { constants } : {}),
    };
    // With every row's fit and residual: the results.csv download (as `fit --residuals`).
    if (group.length === 0) return { task: "fit-curve", ...base, residuals: true };
    return { task: "fit-groups", ...base, group, ...(share ? { share } : {}) };
  }
  if (mode === "compare") {
    const models = form.compared();
    if (models.length < 2) return fail("models", "models: tick at least two models to compare");
    return {
      task: "compare-models",
      data,
      models,
      x: [form.columns.firstX()],
      y,
      ...(group.length > 0 ? { group } : {}),
    };
  }
  const training = readTraining();
  if (training === null) return null;
  const x = form.columns.featureColumns();
  if (x.length === 0) return fail("features", "x: choose at least one feature column");
  const run = { ...training, data, x, y };
  if (mode === "train") return run;
  // The grid in `biograd sweep`'s own grammar (the server parses it as the CLI does).
  const thresholds = readNumberList("sweep-thresholds", "grid", "grid: clip thresholds");
  if (thresholds === null) return null;
  const lrs = readNumberList("sweep-lrs", "grid", "grid: learning rates");
  if (lrs === null) return null;
  const seeds = Number((document.getElementById("sweep-seeds") as HTMLInputElement).value);
  if (!Number.isInteger(seeds) || seeds < 1)
    return fail("grid", "grid: seeds: expected an integer >= 1");
  const clip = training.transform.clip.kind;
  return {
    task: "sweep",
    run,
    grid: {
      ...(clip === "none" ? {} : { clipKinds: clip }),
      thresholds: thresholds.join(","),
      lr: lrs.join(","),
      seeds: String(seeds),
    },
    optimizer: training.transform.optimizer.name,
  };
}

/**
 * `Dose=100, V=2` as `{ Dose: 100, V: 2 }` (the CLI's --const), or null after the message
 * (`quiet`: null without one, for the live formula check).
 */
export function readConstants(quiet = false): Record<string, number> | null {
  const text = (document.getElementById("constants") as HTMLInputElement).value;
  const constants: Record<string, number> = {};
  for (const part of text.split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const m = part.match(/^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(\S+)$/);
    const value = m ? Number(m[2]) : Number.NaN;
    if (!m || !Number.isFinite(value)) {
      return quiet ? null : fail("constants", `constants: expected name=number, got "${part}"`);
    }
    constants[m[1]!] = value;
  }
  return constants;
}

function fail(field: string, message: string): null {
  showError(field, message);
  return null;
}
