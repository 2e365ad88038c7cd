import { InputError } from "../core/errors.js";
import type { DataSource } from "../tasks/data-source.js";
import type { FieldLabels, FitCurveRequest } from "../tasks/fit-curve-request.js";
import { parseAssignments, parseBounds } from "./fit-specs.js";

/** How `biograd fit`'s messages name the request's fields: by their options. */
export const CLI_LABELS: FieldLabels = {
  model: "--model",
  x: "--x",
  start: "--start",
  fix: "--fix",
  bounds: "--bounds",
  constants: "--const",
  weights: "--weights",
  logX: "--x-log10",
};

export interface FitFlags {
  model: string;
  x?: string;
  xLog10?: string;
  y: string;
  start?: string;
  const?: string;
  bounds?: string;
  fix?: string;
  weights?: string;
  /** Absent: the default pipeline (LM first when the start is good, see fitCurve). */
  phases?: string;
  na?: string;
  delimiter?: string;
  sheet?: string;
  out?: string;
  residuals?: string;
  /** `--plot FILE.svg|png`: the fit with its bands, residuals and Q–Q panels. */
  plot?: string;
  ci?: "wald" | "profile";
  format: "table" | "json";
  codegen: boolean;
}

/** `biograd fit FILE --model … --x …` as a `fit-curve` request: text parsed, nothing checked twice. */
export function fitRequest(file: string, flags: FitFlags): FitCurveRequest {
  const data: DataSource = { file };
  if (flags.na !== undefined) data.na = flags.na.split(",");
  if (flags.delimiter !== undefined) data.delimiter = flags.delimiter;
  if (flags.sheet !== undefined) data.sheet = flags.sheet;
  const logX = flags.xLog10 === undefined ? undefined : parseLogColumns(flags.xLog10);
  if (flags.x === undefined && logX === undefined) {
    throw new InputError("--x: required: the variable column(s) (or --x-log10 COLUMN)");
  }
  const request: FitCurveRequest = {
    task: "fit-curve",
    data,
    model: flags.model,
    x: flags.x === undefined ? logX! : parseColumns(flags.x),
    y: flags.y,
    codegen: flags.codegen,
  };
  if (flags.phases !== undefined) request.phases = parsePhases(flags.phases);
  if (flags.start) request.start = Object.fromEntries(parseAssignments("--start", flags.start));
  if (flags.fix) request.fix = Object.fromEntries(parseAssignments("--fix", flags.fix));
  if (flags.const) request.constants = Object.fromEntries(parseAssignments("--const", flags.const));
  if (flags.bounds) {
    request.bounds = Object.fromEntries(
      [...parseBounds(flags.bounds)].map(([name, b]) => [
        name,
        {
          lower: Number.isFinite(b.lower) ? b.lower : null,
          upper: Number.isFinite(b.upper) ? b.upper : null,
        },
      ]),
    );
  }
  if (flags.weights !== undefined) request.weights = flags.weights;
  if (logX !== undefined) request.logX = logX;
  if (flags.ci === "profile") request.ci = "profile";
  if (flags.residuals !== undefined) request.residuals = true;
  return request;
}

/** `--x-log10 conc[,dose]`: columns (of --x, or instead of it) fitted on their log10. */
function parseLogColumns(text: string): string[] {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((c) => c === ""))
    throw new InputError(`--x-log10: empty column name in "${text}"`);
  return parts;
}

/**
 * `--x conc` or `--x a,b` (columns; a formula's variables are named after them) or
 * `--x S=substrate,I=inhibitor` (the column of each variable): all named or none.
 */
export function parseColumns(text: string): string[] | Record<string, string> {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((c) => c === "")) throw new InputError(`--x: empty column name in "${text}"`);
  const named = parts.filter((p) => p.includes("="));
  if (named.length === 0) return parts;
  if (named.length < parts.length) {
    throw new InputError(
      `--x: name the column of every variable or of none (e.g. --x S=substrate,I=inhibitor), got "${text}"`,
    );
  }
  const mapping: Record<string, string> = {};
  for (const part of parts) {
    const [variable, column, ...rest] = part.split("=").map((s) => s.trim());
    if (!variable || !column || rest.length > 0) {
      throw new InputError(`--x: expected variable=column[,…], got "${part}"`);
    }
    if (Object.hasOwn(mapping, variable)) throw new InputError(`--x: "${variable}" is given twice`);
    mapping[variable] = column;
  }
  return mapping;
}

function parsePhases(text: string): ("clipped" | "lm")[] {
  const parts = new Set(text.split(",").map((s) => s.trim()));
  for (const p of parts) {
    if (p !== "clipped" && p !== "lm")
      throw new InputError(`--phases: unknown phase "${p}" (expected clipped, lm or clipped,lm)`);
  }
  return (["clipped", "lm"] as const).filter((p) => parts.has(p));
}
