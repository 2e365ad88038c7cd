import { InputError } from "../core/errors.js";
import { planOutputs } from "../io/output-plan.js";
import type { DataSource } from "../tasks/data-source.js";
import { runPredict } from "../tasks/predict.js";
import type { PredictRequest } from "../tasks/predict-request.js";
import { csvText } from "./csv-text.js";
import type { CliIO } from "./io.js";
import { parseNumber } from "./specs.js";

export interface PredictFlags {
  at?: string;
  out?: string;
  na?: string;
  delimiter?: string;
  sheet?: string;
  allowUnconverged?: boolean;
  interval?: "confidence" | "prediction";
  level?: number;
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
    if (flags.sheet !== undefined) data.sheet = flags.sheet;
    request.data = data;
  }
  if (flags.interval !== undefined) request.interval = flags.interval;
  if (flags.level !== undefined) {
    if (flags.interval === undefined) throw new InputError("--level: only with --interval");
    request.level = flags.level;
  }
  if (flags.at !== undefined) request.at = flags.at.split(",").map((v) => parseNumber("--at", v));
  if (flags.allowUnconverged) request.allowUnconverged = true;
  const p = runPredict(request);
  const csv = csvText(p.columns, p.rows);
  if (flags.out) {
    plan.write("--out", csv);
    io.out(`wrote ${flags.out} (${p.rows.length} rows)`);
  } else {
    io.out(csv.trimEnd());
  }
  return 0;
}
