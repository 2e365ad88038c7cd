import { planOutputs } from "../io/output-plan.js";
import type { DataSource } from "../tasks/data-source.js";
import { runPredict } from "../tasks/predict.js";
import type { PredictRequest } from "../tasks/predict-request.js";
import type { CliIO } from "./io.js";
import { parseNumber } from "./specs.js";

export interface PredictFlags {
  at?: string;
  out?: string;
  na?: string;
  delimiter?: string;
  allowUnconverged?: boolean;
}

/**
 * `biograd predict MODEL.json [DATA]`: the `predict` task — a fitted curve (the `--out` of
 * `biograd fit`) at new x, a linear model (the `--out` of a linear `biograd train`) or a
 * trained network (the `--save` of `biograd train`) on DATA's rows. Prints CSV, or writes it
 * atomically with --out (checked before anything is read: never over MODEL or DATA).
 */
export function predictCommand(
  modelFile: string,
  dataFile: string | undefined,
  flags: PredictFlags,
  io: CliIO,
): number {
  const plan = planOutputs(
    [{ option: "--out", path: flags.out }],
    dataFile === undefined ? [modelFile] : [modelFile, dataFile],
  );
  const request: PredictRequest = { task: "predict", model: { file: modelFile } };
  if (dataFile !== undefined) {
    const data: DataSource = { file: dataFile };
    if (flags.na !== undefined) data.na = flags.na.split(",");
    if (flags.delimiter !== undefined) data.delimiter = flags.delimiter;
    request.data = data;
  }
  if (flags.at !== undefined) request.at = flags.at.split(",").map((v) => parseNumber("--at", v));
  if (flags.allowUnconverged) request.allowUnconverged = true;
  const p = runPredict(request);
  const csv = [p.columns, ...p.rows].map((r) => r.map(csvField).join(",")).join("\n");
  if (flags.out) {
    plan.write("--out", `${csv}\n`);
    io.out(`wrote ${flags.out} (${p.rows.length} rows)`);
  } else {
    io.out(csv);
  }
  return 0;
}

/** RFC 4180 quoting where needed (labels and categories may hold commas or quotes). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
