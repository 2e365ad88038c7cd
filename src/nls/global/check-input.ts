import type { CurveFunction } from "../../core/curve.js";
import { InputError } from "../../core/errors.js";
import { type Checker, checkOptions, oneOf, positiveInteger } from "../../core/options.js";
import type { GlobalFitOptions, GlobalGroup, GlobalParameterSpec } from "./types.js";

const level: Checker = (v) =>
  typeof v === "number" && v > 0 && v < 1 ? null : "a number in (0, 1)";
const object: Checker = (v) => (typeof v === "object" && v !== null ? null : "an options object");
const bool: Checker = (v) => (typeof v === "boolean" ? null : "a boolean");
const tol: Checker = (v) =>
  typeof v === "number" && v >= 0 && v < 1 ? null : "a number in [0, 1)";

/** Rejects what a global fit cannot run on, in the user's terms (parameter and group names). */
export function checkGlobalInput(
  curve: CurveFunction,
  groups: readonly GlobalGroup[],
  specs: readonly GlobalParameterSpec[],
  options: GlobalFitOptions | undefined,
): void {
  checkOptions("global fit", options, {
    groupFit: object,
    sharedStart: oneOf("median", "weighted-mean"),
    perGroupStarts: bool,
    maxIterations: positiveInteger,
    ftol: tol,
    xtol: tol,
    gtol: tol,
    level,
  });
  const names = specs.map((s) => s.name);
  if (names.join("\u0000") !== curve.params.join("\u0000")) {
    throw new InputError(
      `global fit: parameters given (${names.join(", ")}) do not match the model's (${curve.params.join(", ")})`,
    );
  }
  const free = specs.filter((s) => !s.fixed);
  if (free.length === 0)
    throw new InputError("global fit: every parameter is fixed; nothing to fit");
  const shared = free.filter((s) => s.shared).map((s) => s.name);
  if (groups.length === 0) throw new InputError("global fit: no groups to fit");
  if (shared.length > 0 && groups.length < 2) {
    throw new InputError(
      `global fit: shared parameters (${shared.join(", ")}) need at least two groups, got one (${groups[0]!.name})`,
    );
  }
  const seen = new Set<string>();
  for (const g of groups) {
    if (seen.has(g.name)) throw new InputError(`global fit: group "${g.name}" appears twice`);
    seen.add(g.name);
    if (g.columns.length !== curve.variables.length) {
      throw new InputError(
        `global fit: group "${g.name}": the model needs ${curve.variables.length} variable column(s) (${curve.variables.join(", ")}), got ${g.columns.length}`,
      );
    }
    const n = g.y.length;
    if (n === 0) throw new InputError(`global fit: group "${g.name}" has no rows`);
    for (const [k, col] of g.columns.entries()) {
      if (col.length !== n) {
        throw new InputError(
          `global fit: group "${g.name}": column "${curve.variables[k]}" has ${col.length} rows, y has ${n}`,
        );
      }
    }
    const w = g.weights;
    if (w && (w.length !== n || !w.every((v) => Number.isFinite(v) && v > 0))) {
      throw new InputError(
        `global fit: group "${g.name}": weights must be ${n} finite numbers > 0`,
      );
    }
    for (const [i, v] of g.y.entries()) {
      if (!Number.isFinite(v)) {
        throw new InputError(
          `global fit: group "${g.name}": y at row ${i + 1} is ${v}, not a finite number`,
        );
      }
    }
  }
}
