import { InputError } from "../core/errors.js";
import { suggest } from "../formula/names.js";
import { formulaNames } from "../nls/formula-names.js";
import { findModel, modelNames } from "../nls/library/index.js";
import type { LibraryModel } from "../nls/library/types.js";
import type { FieldLabels, FitCurveRequest } from "./fit-curve-request.js";

/** What a request's `model` and `x` resolved to: the formula, its names, and its columns. */
export interface ResolvedModel {
  /** The library model, or null for a user formula. */
  library: LibraryModel | null;
  /** The name to report: the library name, or "formula". */
  name: string;
  formula: string;
  /** Parameter names in the order of θ. */
  params: string[];
  /** The formula's variable names. */
  variables: string[];
  /** The data column of each variable, in the order of `variables`. */
  columns: string[];
}

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * `hill4` names a library model; anything that is not a bare name is a formula. A formula's
 * parameters are the names it uses that are neither variables nor constants; each needs a
 * start (or fixed) value. Parameters are in the order of their first use in the formula, then
 * any given name the formula does not use (reported after compiling, by checkFormulaUses).
 */
export function resolveModel(request: FitCurveRequest, labels: FieldLabels): ResolvedModel {
  const library = findModel(request.model);
  if (library) return resolveLibrary(library, request, labels);
  const text = request.model;
  if (BARE_NAME.test(text.trim())) {
    const bare = text.trim().toLowerCase();
    const all = modelNames();
    const guess = all.find((m) => m.startsWith(bare)) ?? suggest(bare, all);
    throw new InputError(
      `${labels.model}: unknown model "${text}"${guess ? ` (did you mean "${guess}"?)` : ""}; ` +
        '`biograd models` lists them, or give a formula such as "Vm*x/(K+x)"',
    );
  }
  const { variables, columns } = Array.isArray(request.x)
    ? { variables: [...request.x], columns: [...request.x] }
    : { variables: Object.keys(request.x), columns: Object.values(request.x) };
  const constants = Object.keys(request.constants ?? {});
  const given = [...Object.keys(request.start ?? {}), ...Object.keys(request.fix ?? {})];
  const used = formulaNames(text);
  const wanted = used.filter((n) => !variables.includes(n) && !constants.includes(n));
  const missing = wanted.filter((n) => !given.includes(n));
  // A name without a start is a missing start only when every given parameter and variable
  // is used and it does not look like a variable or constant: otherwise it is more likely a
  // typo, which the compiler reports with a suggestion.
  const allUsed = [...given, ...variables].every((n) => used.includes(n));
  const typo = missing.some((n) => suggest(n, [...variables, ...constants]) !== undefined);
  if (missing.length > 0 && allUsed && !typo) {
    throw new InputError(
      `${labels.start}: no start value for ${missing.join(", ")} (e.g. ${startExample(labels, missing)})`,
    );
  }
  const params = [
    ...used.filter((n) => given.includes(n)),
    ...given.filter((n, i) => !used.includes(n) && given.indexOf(n) === i),
  ];
  return { library: null, name: "formula", formula: text, params, variables, columns };
}

function resolveLibrary(
  library: LibraryModel,
  request: FitCurveRequest,
  labels: FieldLabels,
): ResolvedModel {
  const variables = [...library.variables];
  const list = variables.join(", ");
  let columns: string[];
  if (Array.isArray(request.x)) {
    if (variables.length > 1) {
      throw new InputError(
        `${labels.x}: model ${library.name} has ${variables.length} variables (${list}); ` +
          `name the column of each (e.g. ${example(labels.x, variables, '"column"')})`,
      );
    }
    if (request.x.length !== 1) {
      throw new InputError(
        `${labels.x}: model ${library.name} takes 1 column (${list}), got ${request.x.length} (${request.x.join(", ")})`,
      );
    }
    columns = [...request.x];
  } else {
    const mapping = request.x;
    const extra = Object.keys(mapping).find((v) => !variables.includes(v));
    if (extra !== undefined) {
      throw new InputError(
        `${labels.x}: model ${library.name} has no variable "${extra}" (variables: ${list})`,
      );
    }
    const unmapped = variables.filter((v) => !Object.hasOwn(mapping, v));
    if (unmapped.length > 0) {
      throw new InputError(
        `${labels.x}: no column for ${unmapped.join(", ")} (model ${library.name} has variables ${list})`,
      );
    }
    columns = variables.map((v) => mapping[v]!);
  }
  for (const c of Object.keys(library.constants ?? {})) {
    if (!Object.hasOwn(request.constants ?? {}, c)) {
      throw new InputError(
        `${labels.constants}: model ${library.name} needs ${c} (${library.constants![c]}); give ${example(labels.constants, [c], "…")}`,
      );
    }
  }
  return {
    library,
    name: library.name,
    formula: library.formula,
    params: [...library.params],
    variables,
    columns,
  };
}

/** After compiling: every variable and every parameter must appear in the formula. */
export function checkFormulaUses(model: ResolvedModel, labels: FieldLabels): void {
  if (model.library) return;
  const names = formulaNames(model.formula);
  for (const [label, list] of [
    [labels.x, model.variables],
    [labels.start, model.params],
  ] as const) {
    const unused = list.find((n) => !names.includes(n));
    if (unused !== undefined) {
      throw new InputError(
        `${label}: "${unused}" does not appear in the formula "${model.formula}" (its names: ${names.join(", ")})`,
      );
    }
  }
}

/** `--start Km=1,Vm=1` on the command line, `"start": {"Km": 1, "Vm": 1}` in a request. */
export function startExample(labels: FieldLabels, names: readonly string[]): string {
  return example(labels.start, names, "1");
}

function example(label: string, names: readonly string[], value: string): string {
  return label.startsWith("--")
    ? `${label} ${names.map((n) => `${n}=${value.replace(/"/g, "")}`).join(",")}`
    : `"${label}": {${names.map((n) => `"${n}": ${value}`).join(", ")}}`;
}
