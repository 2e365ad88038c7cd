import { InputError } from "../core/errors.js";
import { suggest } from "../formula/names.js";
import { formulaNames } from "../nls/formula-names.js";
import { findModel, modelNames } from "../nls/library/index.js";
import type { LibraryModel } from "../nls/library/types.js";

/** What `--model` resolved to: a library model, or a user formula with its names sorted out. */
export interface ResolvedModel {
  /** The library model, or null for a user formula. */
  library: LibraryModel | null;
  /** The name to report: the library name, or "formula". */
  name: string;
  formula: string;
  params: string[];
  /** The formula's variable names, in the order of the --x columns. */
  variables: string[];
}

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * `--model hill4` names a library model; anything that is not a bare name is a formula whose
 * variables are the --x column names and whose parameters are its other names (not constants).
 */
export function resolveModel(
  text: string,
  columns: readonly string[],
  constants: ReadonlyMap<string, number>,
  given: readonly string[],
): ResolvedModel {
  const library = findModel(text);
  if (library) {
    if (columns.length !== library.variables.length) {
      throw new InputError(
        `--x: model ${library.name} takes ${library.variables.length} column(s) (${library.variables.join(", ")}), got ${columns.length} (${columns.join(", ")})`,
      );
    }
    for (const c of Object.keys(library.constants ?? {})) {
      if (!constants.has(c)) {
        throw new InputError(
          `--const: model ${library.name} needs ${c} (${library.constants![c]}); give --const ${c}=…`,
        );
      }
    }
    return {
      library,
      name: library.name,
      formula: library.formula,
      params: [...library.params],
      variables: [...library.variables],
    };
  }
  const bare = text.trim();
  if (BARE_NAME.test(bare)) {
    const all = modelNames();
    const guess =
      all.find((m) => m.startsWith(bare.toLowerCase())) ?? suggest(bare.toLowerCase(), all);
    throw new InputError(
      `--model: unknown model "${text}"${guess ? ` (did you mean "${guess}"?)` : ""}; ` +
        '`biograd models` lists them, or give a formula such as "Vm*x/(K+x)"',
    );
  }
  // A formula: its parameters are the names given start values (or fixed), so that a typo in
  // the formula is reported by the compiler as an unknown name with a suggestion.
  if (given.length === 0) {
    const guessed = formulaNames(text).filter((n) => !columns.includes(n) && !constants.has(n));
    throw new InputError(
      `--start: a formula's parameters need start values (e.g. --start ${guessed.map((p) => `${p}=1`).join(",")})`,
    );
  }
  return {
    library: null,
    name: "formula",
    formula: text,
    params: [...given],
    variables: [...columns],
  };
}

/** After compiling: every --x column and every parameter must appear in the formula. */
export function checkFormulaUses(model: ResolvedModel): void {
  if (model.library) return;
  const names = formulaNames(model.formula);
  for (const [option, list] of [
    ["--x", model.variables],
    ["--start", model.params],
  ] as const) {
    const unused = list.find((n) => !names.includes(n));
    if (unused !== undefined) {
      throw new InputError(
        `${option}: "${unused}" does not appear in the formula "${model.formula}" (its names: ${names.join(", ")})`,
      );
    }
  }
}
