import { InputError } from "../core/errors.js";

/** A request's `weights`: a column of weights, or by the observed response (1/|y|, 1/y²). */
export type WeightsSpec = { kind: "column"; column: string } | { kind: "power"; power: 1 | 2 };

/** `1/y` and `1/y^2` weight by the observed response; anything else names a column. */
export function parseWeights(label: string, text: string): WeightsSpec {
  const t = text.replace(/\s+/g, "");
  if (t === "1/y") return { kind: "power", power: 1 };
  if (t === "1/y^2" || t === "1/y2") return { kind: "power", power: 2 };
  if (t.startsWith("1/"))
    throw new InputError(`${label}: expected a column name, 1/y or 1/y^2, got "${text}"`);
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
