import { readFileSync } from "node:fs";
import { InputError } from "../core/errors.js";
import { readDataset } from "../data/csv.js";
import { compileFormula } from "../formula/compile.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { VERSION } from "../version.js";
import type { CliIO } from "./io.js";
import { parseNumber } from "./specs.js";

export interface PredictFlags {
  at?: string;
  out?: string;
  na?: string;
  delimiter?: string;
}

interface SavedCurve {
  kind: "curve-fit";
  biograd: string;
  data: { y: string };
  model: {
    formula: string;
    params: string[];
    variables: string[];
    columns: string[];
    constants: Record<string, number>;
  };
  result: { estimates: Record<string, number> };
}

/**
 * `biograd predict FIT.json [DATA]`: evaluates a fitted curve (the `--out` of `biograd fit`)
 * at new x — the columns it was fitted on, read from DATA by name, or `--at` values for a
 * one-variable model. Prints CSV (or writes it atomically with --out).
 */
export function predictCommand(
  fitFile: string,
  dataFile: string | undefined,
  flags: PredictFlags,
  io: CliIO,
): number {
  const saved = loadFit(fitFile);
  const { model } = saved;
  let columns: Float64Array[];
  if (flags.at !== undefined) {
    if (dataFile) throw new InputError("predict: give either a data file or --at, not both");
    if (model.variables.length !== 1) {
      throw new InputError(
        `--at: the model takes ${model.variables.length} columns (${model.columns.join(", ")}); give a data file`,
      );
    }
    columns = [Float64Array.from(flags.at.split(","), (v) => parseNumber("--at", v))];
  } else {
    if (!dataFile)
      throw new InputError(
        `predict: give a data file with columns ${model.columns.join(", ")} or --at values`,
      );
    const data = readDataset(dataFile, {
      x: model.columns,
      na: flags.na === undefined ? undefined : flags.na.split(","),
      delimiter: flags.delimiter,
    });
    const p = model.columns.length;
    columns = model.columns.map((_, k) =>
      Float64Array.from({ length: data.rows }, (_, i) => data.x[i * p + k]!),
    );
  }
  const curve = compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
    constants: model.constants,
  });
  const n = columns[0]!.length;
  const theta = Float64Array.from(model.params, (name) => {
    const v = saved.result.estimates[name];
    if (typeof v !== "number")
      throw new InputError(`${fitFile}: no estimate for parameter "${name}"`);
    return v;
  });
  const f = new Float64Array(n);
  curve.evaluate(theta, columns, n, f, null);
  const lines = [[...model.columns, `${saved.data.y}_predicted`].join(",")];
  for (let i = 0; i < n; i++)
    lines.push([...columns.map((c) => String(c[i])), String(f[i])].join(","));
  const text = `${lines.join("\n")}\n`;
  if (flags.out) {
    writeFileAtomic(flags.out, text);
    io.out(`wrote ${flags.out} (${n} rows)`);
  } else {
    io.out(text.trimEnd());
  }
  return 0;
}

function loadFit(path: string): SavedCurve {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InputError(`${path}: no such file`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const d = doc as Partial<SavedCurve>;
  if (d?.kind !== "curve-fit" || !d.model || !d.result || !d.data) {
    throw new InputError(`${path}: not a biograd fit file (expected the --out of \`biograd fit\`)`);
  }
  const major = (v: string) => v.split(".").slice(0, 2).join(".");
  if (typeof d.biograd !== "string" || major(d.biograd) !== major(VERSION)) {
    throw new InputError(
      `${path}: written by biograd ${d.biograd}, this is ${VERSION}; refit with this version`,
    );
  }
  return d as SavedCurve;
}
