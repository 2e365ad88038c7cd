import { usableRows } from "./stats.js";
import type { LibraryModel } from "./types.js";

/** A model's description without its self-start function. */
export type ModelSpec = Omit<LibraryModel, "selfStart">;

/**
 * A self-start rule on clean data (rows with a non-finite value already dropped, columns in
 * the order of the model's variables): its estimates, and data-based fallbacks used for any
 * estimate that is not finite (or not > 0 for a positive parameter).
 */
export type StartRule = (
  columns: readonly Float64Array[],
  y: Float64Array,
  constants: Readonly<Record<string, number>>,
) => { values: Readonly<Record<string, number>>; fallback: Readonly<Record<string, number>> };

/**
 * A library model from its description and self-start rule; the model and its lists are
 * frozen.
 */
export function defineModel(spec: ModelSpec, rule: StartRule): LibraryModel {
  return Object.freeze({
    ...spec,
    aliases: spec.aliases && Object.freeze([...spec.aliases]),
    params: Object.freeze([...spec.params]),
    variables: Object.freeze([...spec.variables]),
    meaning: Object.freeze({ ...spec.meaning }),
    positive: spec.positive && Object.freeze([...spec.positive]),
    constants: spec.constants && Object.freeze({ ...spec.constants }),
    selfStart(
      columns: readonly Float64Array[],
      y: Float64Array,
      constants: Readonly<Record<string, number>> = {},
    ): Record<string, number> {
      const rows = usableRows(spec.name, spec.variables, columns, y);
      const { values, fallback } = rule(rows.columns, rows.y, constants);
      return finish(spec.params, spec.positive, values, fallback);
    },
  });
}

/**
 * The self-start's answer in parameter order: each value finite (else its fallback), each
 * parameter in `positive` > 0 (else its fallback, else 1).
 */
export function finish(
  params: readonly string[],
  positive: readonly string[] | undefined,
  values: Readonly<Record<string, number>>,
  fallback: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of params) {
    const mustBePositive = positive?.includes(name) ?? false;
    const ok = (v: number | undefined): v is number =>
      v !== undefined && Number.isFinite(v) && (!mustBePositive || v > 0);
    const v = values[name];
    const fb = fallback[name];
    out[name] = ok(v) ? v : ok(fb) ? fb : mustBePositive ? 1 : 0;
  }
  return out;
}
