import { readFileSync } from "node:fs";

/** One case of test/fixtures/r/r-nls-reference.json (made by make_r_reference.R). */
export interface RCase {
  formula: string;
  weights: number[] | null;
  data: { x_name: string; y_name: string; x: number[]; y: number[] };
  start: Record<string, number>;
  params: string[];
  estimate: number[];
  std_error: number[];
  t_value: number[];
  p_value: number[];
  sigma: number;
  df: number;
  rss: number;
  logLik: number;
  AIC: number;
  BIC: number;
  correlation: number[][];
}

export const R_REFERENCE = JSON.parse(
  readFileSync(new URL("../fixtures/r/r-nls-reference.json", import.meta.url), "utf8"),
) as { r_version: string; cases: Record<string, RCase> };

/** Significant digits of agreement: −log10(|x − ref| / |ref|), capped at 15. */
export function digits(x: number, ref: number): number {
  if (x === ref) return 15;
  return Math.min(15, -Math.log10(Math.abs(x - ref) / Math.abs(ref)));
}
