import { InputError } from "../core/errors.js";
import type { FieldLabels } from "./fit-curve-request.js";

/** A doubt about the request found before fitting, reported beside the fit's own warnings. */
export interface RequestWarning {
  readonly code: "x-not-log10";
  readonly message: string;
}

/** Library models whose x is log10 concentration (their EC50 parameter is logEC50). */
const LOG_X_MODELS: ReadonlySet<string> = new Set(["4pl", "5pl"]);

/**
 * The model's columns with those named in `logX` replaced by their log10 (`--x-log10 conc`).
 * Names that are not the model's columns, and values ≤ 0, are refused by option.
 */
export function applyLogX(
  names: readonly string[],
  columns: readonly Float64Array[],
  logX: readonly string[],
  labels: FieldLabels,
): Float64Array[] {
  checkLogXNames(names, logX, labels);
  return columns.map((column, k) => {
    const name = names[k]!;
    if (!logX.includes(name)) return column;
    const out = new Float64Array(column.length);
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      if (!(v > 0)) {
        throw new InputError(
          `${labels.logX} ${name}: log10 needs values > 0, got ${v} in data row ${i + 1}`,
        );
      }
      out[i] = Math.log10(v);
    }
    return out;
  });
}

function checkLogXNames(names: readonly string[], logX: readonly string[], labels: FieldLabels) {
  for (const name of logX) {
    if (!names.includes(name)) {
      throw new InputError(
        `${labels.logX}: "${name}" is not a column of the model (its columns: ${names.join(", ")})`,
      );
    }
  }
}

/**
 * `applyLogX` for a grouped file's columns (all groups, in group order), in place: a missing
 * value (NaN) stays missing and drops its row from its group's fit, as without the log; a
 * value ≤ 0 is refused naming its group. `group(i)` gives row i's group label.
 */
export function applyLogXGrouped(
  names: readonly string[],
  columns: readonly Float64Array[],
  logX: readonly string[],
  labels: FieldLabels,
  where: (row: number) => string,
): void {
  checkLogXNames(names, logX, labels);
  for (const [k, name] of names.entries()) {
    if (!logX.includes(name)) continue;
    const column = columns[k]!;
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      if (Number.isNaN(v)) continue;
      if (!(v > 0)) {
        throw new InputError(
          `${labels.logX} ${name}: log10 needs values > 0, got ${v} in ${where(i)}`,
        );
      }
      column[i] = Math.log10(v);
    }
  }
}

/**
 * A 4pl/5pl fitted on linear concentrations rarely converges: its `logEC50` and `hill` are
 * in log10 units. When the x column is all positive and spans more than two decades, say so
 * and name the fix, rather than leave a failed fit unexplained.
 */
export function logXWarnings(
  model: string,
  names: readonly string[],
  columns: readonly Float64Array[],
  logX: readonly string[],
  labels: FieldLabels,
): RequestWarning[] {
  if (!LOG_X_MODELS.has(model) || columns.length !== 1 || logX.includes(names[0]!)) return [];
  const x = columns[0]!;
  if (x.length === 0) return [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(lo > 0) || !(hi / lo > 100)) return [];
  const decades = Math.log10(hi / lo).toFixed(1);
  const how = labels.logX.startsWith("--")
    ? `use ${labels.logX} ${names[0]} (or a log10 column)`
    : `give "${labels.logX}": ["${names[0]}"] (or a log10 column)`;
  return [
    {
      code: "x-not-log10",
      message: `${names[0]} is all positive and spans ${decades} decades: ${model} expects log10 concentrations; ${how}`,
    },
  ];
}
