import { z } from "zod";
import { parseWith } from "../core/schema.js";
import type { DataRow } from "./theme.js";
import { thinIndices } from "./thin.js";

/** Per-tensor gradient norms in columns, as a network's run file holds them (`history.tensorNorms`). */
export interface TensorNormColumns {
  names: readonly string[];
  /** `values[k][i]`: tensor `names[k]` at the history's i-th epoch; null when not finite. */
  values: readonly (readonly (number | null)[])[];
}

/** At most this many epochs are drawn as columns of the strip (rects = epochs × tensors). */
export const HEAT_COLUMNS = 200;

const MAX_TENSORS = 10_000;

/**
 * What a saved run's `history.tensorNorms` must be (optional: files written before it
 * existed, and linear runs, have none): names, and one column per name with one entry per
 * epoch of the history. Errors name the JSON path (`history.tensorNorms.values[1]`).
 */
export function tensorNormsSchema(epochs: number) {
  return z
    .object({
      names: z.array(z.string().min(1).max(1000)).min(1).max(MAX_TENSORS),
      values: z.array(z.array(z.number().nullable()).max(100_000_000)).max(MAX_TENSORS),
    })
    .superRefine((t, ctx) => {
      if (t.values.length !== t.names.length) {
        ctx.addIssue({
          code: "custom",
          path: ["values"],
          message: `has ${t.values.length} columns for ${t.names.length} tensors`,
        });
      }
      t.values.forEach((column, k) => {
        if (column.length !== epochs) {
          ctx.addIssue({
            code: "custom",
            path: ["values", k],
            message: `has ${column.length} entries for ${epochs} epochs`,
          });
        }
      });
    });
}

/**
 * The heat strip under a network's training chart: one row per parameter tensor (in layout
 * order), one column per drawn epoch, coloured by log10 of the tensor's gradient norm before
 * clipping — which layer's gradients explode or vanish, and when. Each cell spans from its
 * epoch to the next drawn one, so the strip lines up with the loss and norm panels above.
 * Norms that are not positive and finite have no log and leave their cell empty.
 */
export function tensorHeatStrip(
  epochs: readonly (number | null)[],
  norms: TensorNormColumns,
  options: { columns?: number; width?: number } = {},
): { rows: DataRow[]; panel: Record<string, unknown> } {
  const drawn = thinIndices(epochs.length, options.columns ?? HEAT_COLUMNS);
  const rows: DataRow[] = [];
  for (let j = 0; j < drawn.length; j++) {
    const i = drawn[j]!;
    const epoch = epochs[i] ?? i;
    const next = j + 1 < drawn.length ? (epochs[drawn[j + 1]!] ?? drawn[j + 1]!) : epoch + 1;
    norms.names.forEach((tensor, k) => {
      const v = norms.values[k]?.[i];
      if (typeof v === "number" && Number.isFinite(v) && v > 0) {
        rows.push({ tensor, epoch, epochEnd: next, log10Norm: Math.log10(v) });
      }
    });
  }
  const panel = {
    width: options.width ?? 560,
    height: Math.min(16 * norms.names.length, 320),
    data: { name: "tensorNorms" },
    name: "tensorNorms",
    title: "gradient norm per tensor (log10, before clipping)",
    mark: { type: "rect" },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch" },
      x2: { field: "epochEnd" },
      y: { field: "tensor", type: "nominal", sort: [...norms.names], title: null },
      color: {
        field: "log10Norm",
        type: "quantitative",
        title: "log10 norm",
        scale: { scheme: "viridis" },
      },
    },
  };
  return { rows, panel };
}

/**
 * A saved run's per-tensor norms, checked (`run.json: history.tensorNorms.values[0]: has 3
 * entries for 5 epochs`), or undefined when the file has none.
 */
export function savedTensorNorms(
  doc: unknown,
  epochs: number,
  where: string,
): TensorNormColumns | undefined {
  const schema = z.looseObject({
    history: z.looseObject({ tensorNorms: tensorNormsSchema(epochs).optional() }),
  });
  return parseWith(schema, doc, where).history.tensorNorms;
}
