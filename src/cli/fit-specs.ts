import { InputError } from "../core/errors.js";
import { parseNumber } from "./specs.js";

/**
 * Parsers for `biograd fit`'s name=value lists: `--start Vm=200,K=0.1`, `--const Dose=4.02`,
 * `--fix n=1`, `--bounds K=0:inf,n=0.5:4` (weights are parsed by the task: src/tasks/curve-weights.ts).
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
