import { z } from "zod";
import { parseWith } from "../core/schema.js";
import { planFormula } from "../formula/compile.js";
import { FormulaError } from "../formula/errors.js";
import { formulaNames } from "../nls/formula-names.js";
import { findModel, MODELS } from "../nls/library/index.js";
import { HttpError } from "./http-error.js";

const checkSchema = z.strictObject({
  formula: z.string().max(10_000),
  /** Columns of a one-variable model or formula over column names, or variables by name. */
  x: z.union([z.array(z.string()).max(1000), z.record(z.string(), z.string())]).optional(),
  /** The parameters (names with a start or fixed value); default: every other name used. */
  params: z.array(z.string()).max(1000).optional(),
  constants: z.record(z.string(), z.number()).optional(),
});

export type FormulaCheck =
  | { ok: true; parameters: string[]; variables: string[] }
  | { ok: false; message: string; position: number | null };

/**
 * Live validation of the formula field: compiles it as a fit would and returns its
 * parameters, or the compiler's message (`formula:1:8: unknown name "Kx" …`) with the 0-based
 * offset of the place it names. A library model's name checks as its formula.
 */
export function checkFormulaRequest(body: unknown): FormulaCheck {
  let input: z.output<typeof checkSchema>;
  try {
    input = parseWith(checkSchema, body, "request");
  } catch (e) {
    throw new HttpError(400, (e as Error).message, "formula");
  }
  const library = findModel(input.formula.trim());
  if (library)
    return { ok: true, parameters: [...library.params], variables: [...library.variables] };
  const variables =
    input.x === undefined ? ["x"] : Array.isArray(input.x) ? input.x : Object.keys(input.x);
  const constants = input.constants ?? {};
  try {
    const used = formulaNames(input.formula);
    const params =
      input.params ?? used.filter((n) => !variables.includes(n) && !Object.hasOwn(constants, n));
    planFormula(input.formula, { params, variables, constants });
    return { ok: true, parameters: params, variables };
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    return { ok: false, message: e.message, position: offsetOf(input.formula, e) };
  }
}

function offsetOf(text: string, e: FormulaError): number | null {
  if (e.line === null || e.column === null) return null;
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < e.line - 1; i++) offset += lines[i]!.length + 1;
  return offset + e.column - 1;
}

/** The model library as the page lists it (what `biograd models` prints). */
export function modelList() {
  return MODELS.map((m) => ({
    name: m.name,
    parameters: [...m.params],
    variables: [...m.variables],
    formula: m.formula,
    description: m.title,
  }));
}
