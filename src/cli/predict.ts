import { InputError } from "../core/errors.js";
import { readDataset } from "../data/csv.js";
import { compileFormula } from "../formula/compile.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { loadNetwork, predictNetwork, readJsonFile } from "../learn/saved-network.js";
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
 * `biograd predict MODEL.json [DATA]`: evaluates a fitted curve (the `--out` of `biograd fit`)
 * at new x — the columns it was fitted on, read from DATA by name, or `--at` values for a
 * one-variable model — or a trained network (the `--save` of `biograd train`) on DATA's rows
 * (class, class probabilities, or value). Prints CSV (or writes it atomically with --out).
 */
export function predictCommand(
  fitFile: string,
  dataFile: string | undefined,
  flags: PredictFlags,
  io: CliIO,
): number {
  const doc = readJsonFile(fitFile);
  if ((doc as { kind?: unknown } | null)?.kind === "network") {
    if (!dataFile)
      throw new InputError("predict: a network needs a data file with its feature columns");
    if (flags.at !== undefined)
      throw new InputError("--at: only for one-variable curve fits; give a data file");
    const saved = loadNetwork(fitFile, doc);
    const p = predictNetwork(fitFile, saved, dataFile, {
      na: flags.na?.split(","),
      delimiter: flags.delimiter,
    });
    const csv = [p.columns, ...p.rows].map((r) => r.map(csvField).join(",")).join("\n");
    return emit(`${csv}\n`, p.rows.length, flags, io);
  }
  const saved = loadFit(fitFile, doc);
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
  return emit(`${lines.join("\n")}\n`, n, flags, io);
}

function emit(text: string, rows: number, flags: PredictFlags, io: CliIO): number {
  if (flags.out) {
    writeFileAtomic(flags.out, text);
    io.out(`wrote ${flags.out} (${rows} rows)`);
  } else {
    io.out(text.trimEnd());
  }
  return 0;
}

/** RFC 4180 quoting where needed (labels and categories may hold commas or quotes). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function loadFit(path: string, doc: unknown): SavedCurve {
  const d = doc as Partial<SavedCurve>;
  if (d?.kind !== "curve-fit" || !d.model || !d.result || !d.data) {
    throw new InputError(
      `${path}: not a biograd fit or network (expected the --out of \`biograd fit\` or the --save of \`biograd train\`)`,
    );
  }
  const minor = (v: string) => v.split(".").slice(0, 2).join(".");
  if (typeof d.biograd !== "string" || minor(d.biograd) !== minor(VERSION)) {
    throw new InputError(
      `${path}: written by biograd ${d.biograd}, this is ${VERSION}; refit with this version`,
    );
  }
  return d as SavedCurve;
}
