import { readFileSync } from "node:fs";
import type { CurveFunction } from "../../../src/core/curve.js";
import { compileFormula } from "../../../src/formula/compile.js";
import type { GlobalGroup, GlobalParameterSpec } from "../../../src/nls/global/index.js";
import { findModel } from "../../../src/nls/library/registry.js";

/** One fit of r-global-reference.json (see test/fixtures/r/README-groups.md). */
export interface RGlobalFit {
  params: string[];
  estimate: number[];
  std_error: number[];
  sigma: number;
  df: number;
  n: number;
  rss: number;
  logLik: number;
  AIC: number;
  AICc: number;
  BIC: number;
  vcov: number[][] | null;
}

export interface RGlobalCase {
  csv: string;
  group: string;
  x: string;
  y: string;
  groups: string[];
  params: string[];
  shared_params: string | string[];
  library_model: string;
  shared: RGlobalFit;
  separate: RGlobalFit;
  anova: { res_df: number[]; rss: number[]; df: number; ss: number; F: number; p_value: number };
  delta_AICc: number;
  akaike_weight_shared: number;
}

const root = new URL("../../../", import.meta.url);

export const R_GLOBAL = JSON.parse(
  readFileSync(new URL("test/fixtures/r/r-global-reference.json", root), "utf8"),
) as { cases: Record<string, RGlobalCase> };

/** A small CSV (no quoting) as columns by header name. */
function readCsv(path: string): Record<string, string[]> {
  const [head, ...rows] = readFileSync(new URL(path, root), "utf8").trim().split(/\r?\n/);
  const names = head!.split(",");
  const out: Record<string, string[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const row of rows) {
    row.split(",").forEach((v, k) => {
      out[names[k]!]!.push(v);
    });
  }
  return out;
}

/** The case's curve (the library model compiled), groups with self-starts, and specs. */
export function loadCase(c: RGlobalCase): {
  curve: CurveFunction;
  groups: GlobalGroup[];
  specs: GlobalParameterSpec[];
} {
  const model = findModel(c.library_model)!;
  const curve = compileFormula(model.formula, { params: model.params, variables: model.variables });
  const table = readCsv(c.csv);
  const groups = c.groups.map((level) => {
    const rows = table[c.group]!.flatMap((v, i) => (v === level ? [i] : []));
    const x = Float64Array.from(rows, (i) => Number(table[c.x]![i]));
    const y = Float64Array.from(rows, (i) => Number(table[c.y]![i]));
    return { name: level, columns: [x], y, start: model.selfStart([x], y) };
  });
  const shared = new Set([c.shared_params].flat());
  const positive = new Set(model.positive ?? []);
  const first = groups[0]!.start;
  const specs = model.params.map((name) => ({
    name,
    start: first[name]!,
    shared: shared.has(name),
    ...(positive.has(name) ? { lower: 0 } : {}),
  }));
  return { curve, groups, specs };
}

/**
 * The constructed steep case (test/fixtures/scipy/make_steep_shared_reference.py): the screen of
 * separate-equals-per-group.test.ts whose steep self-starts stopped the block LM on a plateau,
 * fitted with a shared hill by scipy from many starts, in the same layout as R_GLOBAL.
 */
export const STEEP_GLOBAL = JSON.parse(
  readFileSync(new URL("test/fixtures/scipy/steep-shared-reference.json", root), "utf8"),
) as { cases: Record<string, RGlobalCase> };
