import { InputError } from "../core/errors.js";
import { readDataset } from "../data/csv.js";
import { compileFormula } from "../formula/compile.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { fitCurve } from "../nls/fit-curve.js";
import type { ParameterSpec } from "../nls/parameters.js";
import { fitDocument } from "./fit-document.js";
import { checkFormulaUses, resolveModel } from "./fit-model.js";
import { printFit } from "./fit-output.js";
import { computeWeights, parseAssignments, parseBounds, parseWeights } from "./fit-specs.js";
import type { CliIO } from "./io.js";

export interface FitFlags {
  model: string;
  x: string;
  y: string;
  start?: string;
  const?: string;
  bounds?: string;
  fix?: string;
  weights?: string;
  phases: string;
  na?: string;
  delimiter?: string;
  out?: string;
  format: "table" | "json";
  codegen: boolean;
}

/** `biograd fit FILE --model … --x … --y …`: a curve fit with an nls-style summary. */
export function fitCommand(file: string, flags: FitFlags, io: CliIO): number {
  const columns = flags.x.split(",").map((s) => s.trim());
  if (columns.some((c) => c === "")) throw new InputError(`--x: empty column name in "${flags.x}"`);
  const constants = flags.const
    ? parseAssignments("--const", flags.const)
    : new Map<string, number>();
  const starts = flags.start ? parseAssignments("--start", flags.start) : new Map<string, number>();
  const fixes = flags.fix ? parseAssignments("--fix", flags.fix) : new Map<string, number>();
  const model = resolveModel(flags.model, columns, constants, [...starts.keys(), ...fixes.keys()]);
  const bounds = flags.bounds ? parseBounds(flags.bounds) : new Map();
  for (const [option, map] of [
    ["--start", starts],
    ["--fix", fixes],
    ["--bounds", bounds],
  ] as const) {
    for (const name of map.keys()) {
      if (!model.params.includes(name)) {
        throw new InputError(
          `${option}: "${name}" is not a parameter of the model (parameters: ${model.params.join(", ")})`,
        );
      }
    }
  }
  const phases = parsePhases(flags.phases);

  const weightSpec = flags.weights ? parseWeights(flags.weights) : null;
  const weightColumn = weightSpec?.kind === "column" ? [weightSpec.column] : [];
  const data = readDataset(file, {
    x: [...columns, ...weightColumn],
    y: flags.y,
    na: flags.na === undefined ? undefined : flags.na.split(","),
    delimiter: flags.delimiter,
  });
  const width = columns.length + weightColumn.length;
  const column = (k: number) =>
    Float64Array.from({ length: data.rows }, (_, i) => data.x[i * width + k]!);
  const xColumns = columns.map((_, k) => column(k));
  const weights = weightSpec
    ? computeWeights(weightSpec, data.y, weightColumn.length ? column(columns.length) : null, file)
    : null;

  const constObject = Object.fromEntries(constants);
  const curve = compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
    constants: constObject,
    codegen: flags.codegen,
  });
  checkFormulaUses(model);

  const selfStart = model.library ? model.library.selfStart(xColumns, data.y, constObject) : {};
  const positive = new Set(model.library?.positive ?? []);
  const specs: ParameterSpec[] = model.params.map((name) => {
    const fixed = fixes.get(name);
    const start = fixed ?? starts.get(name) ?? selfStart[name];
    if (start === undefined) {
      const missing = model.params.filter((p) => !starts.has(p) && !fixes.has(p));
      throw new InputError(
        `--start: the formula's parameters need start values; missing ${missing.join(", ")} ` +
          `(e.g. --start ${missing.map((p) => `${p}=1`).join(",")})`,
      );
    }
    const b =
      bounds.get(name) ??
      (positive.has(name) ? { lower: 0, upper: Number.POSITIVE_INFINITY } : null);
    return { name, start, fixed: fixed !== undefined, lower: b?.lower, upper: b?.upper };
  });

  const fit = fitCurve(curve, { columns: xColumns, y: data.y, weights }, specs, {
    firstOrder: phases.firstOrder ? {} : false,
    lm: phases.lm ? {} : false,
  });
  const doc = fitDocument({ file, flags, model, constants: constObject, columns, fit, specs });
  if (flags.out) writeFileAtomic(flags.out, `${JSON.stringify(doc, null, 1)}\n`);
  if (flags.format === "json") {
    io.out(JSON.stringify(doc.result));
  } else {
    printFit(io, model, columns, flags.y, data.rows, fit);
    if (flags.out) io.out(`wrote ${flags.out}`);
  }
  return fit.converged ? 0 : 1;
}

function parsePhases(text: string): { firstOrder: boolean; lm: boolean } {
  const parts = new Set(text.split(",").map((s) => s.trim()));
  const known = ["clipped", "lm"];
  for (const p of parts) {
    if (!known.includes(p))
      throw new InputError(`--phases: unknown phase "${p}" (expected clipped, lm or clipped,lm)`);
  }
  return { firstOrder: parts.has("clipped"), lm: parts.has("lm") };
}
