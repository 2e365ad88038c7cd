import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { readTable } from "../data/table.js";
import type { ColumnRequest, Table } from "../data/table-types.js";
import { VERSION } from "../version.js";
import { type Comparison, compareOn, parameterNames } from "./compare-fits.js";
import { type CompareModelsRequest, compareModelsRequestSchema } from "./compare-request.js";
import { parseWeights } from "./curve-weights.js";
import {
  type DataSource,
  type InlineSource,
  inlineTable,
  readerOptions,
  sourceName,
} from "./data-source.js";
import { type FieldLabels, JSON_LABELS } from "./fit-curve-request.js";
import type { TaskOptions } from "./types.js";

export interface CompareModelsOptions extends TaskOptions {
  /** How messages name the request's fields (the CLI passes its option names). */
  labels?: FieldLabels;
}

/**
 * The `compare-models` task (request: compare-request.ts): each model fitted to the same
 * rows as `fit-curve` would fit it, then per model RSS, df, AICc and Akaike weight, the F test
 * of each consecutive nested pair, and the preferred model — for the whole data set, or per
 * group with `group`, where a failed group is recorded with its reason and the rest go on.
 * `onProgress` counts groups; `signal` stops before the next group (those left are absent).
 */
export function runCompareModels(input: unknown, options: CompareModelsOptions = {}) {
  const request = parseWith(compareModelsRequestSchema, input, "request");
  const labels = options.labels ?? JSON_LABELS;
  checkNames(request, labels);
  const source = sourceName(request.data);
  let comparisons: Comparison[];
  let rows: number | null = null;
  if (request.group === undefined) {
    const one = compareOn(request, request.data, labels, null, false, options);
    comparisons = [one];
    rows = one.n;
  } else {
    const groups = splitGroups(request, request.group);
    rows = groups.rows;
    comparisons = [];
    for (const [k, g] of groups.parts.entries()) {
      if (options.signal?.aborted) break;
      comparisons.push(compareOn(request, g.source, labels, g.key, true));
      options.onProgress?.({ done: k + 1, total: groups.parts.length });
    }
  }
  return {
    biograd: VERSION,
    kind: "model-comparison" as const,
    createdAt: new Date().toISOString(),
    data: { file: source, rows, y: request.y },
    models: request.models,
    group: request.group ?? null,
    alpha: request.alpha ?? 0.05,
    comparisons,
  };
}

export type CompareModelsResult = ReturnType<typeof runCompareModels>;

/** start/fix/bounds names must belong to at least one of the models. */
function checkNames(request: CompareModelsRequest, labels: FieldLabels): void {
  const all = new Set(request.models.flatMap(parameterNames));
  for (const [label, record] of [
    [labels.start, request.start],
    [labels.fix, request.fix],
    [labels.bounds, request.bounds],
  ] as const) {
    for (const name of Object.keys(record ?? {})) {
      if (!all.has(name)) {
        throw new InputError(
          `${label}: "${name}" is not a parameter of any of the models (${[...all].join(", ")})`,
        );
      }
    }
  }
}

/** The rows of each group (keys in order of first appearance), as inline sources. */
function splitGroups(request: CompareModelsRequest, group: readonly string[]) {
  const xColumns = Array.isArray(request.x) ? request.x : Object.values(request.x);
  const weights = request.weights ? parseWeights("weights", request.weights) : null;
  const numeric = [
    ...new Set([...xColumns, request.y, ...(weights?.kind === "column" ? [weights.column] : [])]),
  ];
  const overlap = group.find((g) => numeric.includes(g));
  if (overlap !== undefined) {
    throw new InputError(`group: "${overlap}" is also a data column of the fit`);
  }
  const columns: ColumnRequest[] = [
    ...group.map((name) => ({ name, type: "categorical" as const })),
    ...numeric.map((name) => ({ name, type: "numeric" as const })),
  ];
  const table = readSource(request.data, columns);
  const keyOf = (i: number) =>
    group.map((_, k) => (table.columns[k]!.values as readonly string[])[i]!);
  const index = new Map<string, number[]>();
  for (let i = 0; i < table.rows; i++) {
    const key = JSON.stringify(keyOf(i));
    const list = index.get(key);
    if (list) list.push(i);
    else index.set(key, [i]);
  }
  const where = sourceName(request.data);
  const parts = [...index.values()].map((rowsOf) => {
    const values = keyOf(rowsOf[0]!);
    const key = Object.fromEntries(group.map((g, k) => [g, values[k]!]));
    const label = group.map((g, k) => `${g}=${values[k]}`).join(", ");
    const inline: InlineSource = {
      name: `${where} [${label}]`,
      columns: Object.fromEntries(
        numeric.map((name, k) => {
          const all = table.columns[group.length + k]!.values as Float64Array;
          return [name, rowsOf.map((i) => all[i]!)];
        }),
      ),
    };
    return { key, source: inline as DataSource };
  });
  return { rows: table.rows, parts };
}

function readSource(source: DataSource, columns: ColumnRequest[]): Table {
  if ("file" in source) return readTable(source.file, { columns, ...readerOptions(source) });
  return inlineTable(source, columns);
}
