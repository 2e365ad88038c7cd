import { InputError } from "../core/errors.js";
import { parseNumber } from "./specs.js";

/**
 * Parsers for `biograd fit`'s name=value lists: `--start Vm=200,K=0.1`, `--const Dose=4.02`,
 * `--fix n=1`, `--bounds K=0:inf,n=0.5:4`, `--weights col|1/y|1/y^2`.
 */

/** `a=1,b=2` → Map in the order given; each value a number. */
export function parseAssignments(option: string, text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of text.split(",")) {
    const [name, value, ...rest] = part.split("=").map((s) => s.trim());
    if (!name || value === undefined || rest.length > 0) {
      throw new InputError(`${option}: expected name=value[,name=value…], got "${text}"`);
    }
    if (out.has(name)) throw new InputError(`${option}: "${name}" is given twice`);
    out.set(name, parseNumber(`${option} ${name}`, value));
  }
  return out;
}

export interface Bounds {
  lower: number;
  upper: number;
}

/** `K=0:inf,n=-inf:4` → Map of bounds; `inf`/`-inf` for open ends, lower < upper. */
export function parseBounds(text: string): Map<string, Bounds> {
  const out = new Map<string, Bounds>();
  for (const part of text.split(",")) {
    const m = /^\s*([^=\s]+)\s*=\s*([^:]+):(.+)$/.exec(part);
    if (!m)
      throw new InputError(`--bounds: expected name=lower:upper[,…] (inf allowed), got "${part}"`);
    const [, name, lo, hi] = m as unknown as [string, string, string, string];
    const bound = (s: string): number => {
      const t = s.trim().toLowerCase();
      if (t === "inf" || t === "+inf") return Number.POSITIVE_INFINITY;
      if (t === "-inf") return Number.NEGATIVE_INFINITY;
      return parseNumber(`--bounds ${name}`, s);
    };
    const b = { lower: bound(lo), upper: bound(hi) };
    if (!(b.lower < b.upper)) {
      throw new InputError(
        `--bounds ${name}: lower bound ${b.lower} must be below upper bound ${b.upper}`,
      );
    }
    if (out.has(name)) throw new InputError(`--bounds: "${name}" is given twice`);
    out.set(name, b);
  }
  return out;
}

export type WeightsSpec = { kind: "column"; column: string } | { kind: "power"; power: 1 | 2 };

/** `1/y` and `1/y^2` weight by the observed response; anything else names a column. */
export function parseWeights(text: string): WeightsSpec {
  const t = text.replace(/\s+/g, "");
  if (t === "1/y") return { kind: "power", power: 1 };
  if (t === "1/y^2" || t === "1/y2") return { kind: "power", power: 2 };
  if (t.startsWith("1/"))
    throw new InputError(`--weights: expected a column name, 1/y or 1/y^2, got "${text}"`);
  return { kind: "column", column: text.trim() };
}

/** Weights for each row; every weight must be finite and > 0. */
export function computeWeights(
  spec: WeightsSpec,
  y: Float64Array,
  column: Float64Array | null,
  source: string,
): Float64Array {
  const w =
    spec.kind === "column"
      ? Float64Array.from(column!)
      : Float64Array.from(y, (v) => 1 / Math.abs(v) ** spec.power);
  for (let i = 0; i < w.length; i++) {
    if (!(Number.isFinite(w[i]!) && w[i]! > 0)) {
      const what =
        spec.kind === "column"
          ? `column "${spec.column}" has weight ${w[i]}`
          : `y = ${y[i]} gives weight ${w[i]}`;
      throw new InputError(`${source}: data row ${i + 1}: ${what}; weights must be finite and > 0`);
    }
  }
  return w;
}
