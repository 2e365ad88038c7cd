import { readFileSync } from "node:fs";
import { InputError } from "../core/errors.js";
import { toNamed } from "../core/layout.js";
import { parseWith } from "../core/schema.js";
import {
  decodeLabels,
  encodeFeatures,
  type FeatureEncoder,
  featureEncoderFromJSON,
  type LabelEncoder,
  readTable,
  standardize,
  standardizerFromJSON,
  standardizerToJSON,
} from "../prep/index.js";
import { VERSION } from "../version.js";
import type { Preprocessing } from "./prepare.js";
import { checkParams, expectedShapes, savedNetworkSchema } from "./saved-network-schema.js";
import {
  buildNetwork,
  type NetworkMetrics,
  type NetworkRun,
  type NetworkSpec,
} from "./train-network.js";

/**
 * A trained network as JSON (`--save model.json`): architecture, parameters by layout name,
 * the preprocessing (feature encoder with one-hot levels, standardisation, label levels),
 * column names and the biograd version. `loadNetwork` checks all of it before use.
 */
export interface SavedNetwork {
  biograd: string;
  kind: "network";
  createdAt: string;
  spec: NetworkSpec;
  layout: { name: string; shape: number[] }[];
  params: Record<string, number | number[]>;
  preprocessing: {
    encoder: FeatureEncoder;
    standardizer: ReturnType<typeof standardizerToJSON>;
    labels: LabelEncoder | null;
    target: string;
    targetScale: { mean: number; sd: number } | null;
  };
  training: Record<string, unknown>;
  metrics: NetworkMetrics;
}

export function networkToJSON(
  spec: NetworkSpec,
  run: NetworkRun,
  preprocessing: Preprocessing,
  training: Record<string, unknown>,
): SavedNetwork {
  const { layout } = run.model;
  return {
    biograd: VERSION,
    kind: "network",
    createdAt: new Date().toISOString(),
    spec: { ...spec, classes: run.model.classes || undefined },
    layout: layout.entries.map((e) => ({ name: e.name, shape: [...e.shape] })),
    params: toNamed(layout, run.params),
    preprocessing: {
      encoder: preprocessing.encoder,
      standardizer: standardizerToJSON(preprocessing.standardizer),
      labels: preprocessing.labels,
      target: preprocessing.target,
      targetScale: preprocessing.targetScale,
    },
    training,
    metrics: run.metrics!,
  };
}

/**
 * Reads and checks a saved network; every problem is an InputError naming the file and the
 * JSON path of the bad field. Parameters are checked against the shapes the architecture
 * needs (computed without building it) before any typed array is made.
 */
export function loadNetwork(path: string, doc: unknown): SavedNetwork {
  const d = doc as Partial<SavedNetwork> | null;
  if (typeof d !== "object" || d === null || Array.isArray(d) || d.kind !== "network") {
    throw new InputError(
      `${path}: not a biograd network (expected the --save of \`biograd train\`)`,
    );
  }
  const minor = (v: string) => v.split(".").slice(0, 2).join(".");
  if (typeof d.biograd !== "string" || minor(d.biograd) !== minor(VERSION)) {
    throw new InputError(
      `${path}: saved by biograd ${String(d.biograd)}, which this version (${VERSION}) cannot read; retrain with this version`,
    );
  }
  const saved = parseWith(savedNetworkSchema, doc, path);
  const encoder = within(path, "preprocessing.encoder", () =>
    featureEncoderFromJSON(saved.preprocessing.encoder),
  );
  const standardizer = within(path, "preprocessing.standardizer", () =>
    standardizerFromJSON(saved.preprocessing.standardizer),
  );
  if (standardizer.columns.join("\n") !== encoder.features.join("\n")) {
    throw new InputError(
      `${path}: preprocessing.standardizer.columns: expected the encoder's ${encoder.features.length} features`,
    );
  }
  const shapes = expectedShapes(path, saved, encoder.features.length);
  checkParams(path, saved, shapes);
  return saved as unknown as SavedNetwork;
}

/** Runs a prep check, naming the file and the field in its message. */
function within<T>(path: string, field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(`${path}: ${field}: ${error.message.replace(/^[a-z ]+JSON: /, "")}`);
  }
}

export interface NetworkPredictions {
  /** Header and rows of the output CSV. */
  columns: string[];
  rows: string[][];
}

/**
 * Predictions of a saved network for the rows of `file`: the feature columns are read by
 * name and encoded exactly as in training (unknown category levels, missing columns and
 * non-numbers are errors naming the file, line and column). The file's other columns (an id,
 * the observed target) come first in the output, as text, then the features, then the
 * predictions. `saved` must come from `loadNetwork`.
 */
export function predictNetwork(
  _path: string,
  saved: SavedNetwork,
  file: string,
  options: { na?: readonly string[]; delimiter?: string; sheet?: string } = {},
): NetworkPredictions {
  const encoder = featureEncoderFromJSON(saved.preprocessing.encoder);
  const standardizer = standardizerFromJSON(saved.preprocessing.standardizer);
  const inputs = encoder.inputs.map((i) => i.name);
  // Every other column (an id, the observed target, notes) is carried through as text, read
  // in the same pass: an empty or missing cell there neither stops nor drops a row.
  const table = readTable(file, {
    columns: encoder.inputs.map((i) => ({ name: i.name, type: i.type })),
    otherColumns: "text",
    na: options.na,
    delimiter: options.delimiter,
    sheet: options.sheet,
  });
  const header = table.columns.slice(encoder.inputs.length).map((c) => c.name);
  const others = header.filter(
    (h) => h !== "" && !inputs.includes(h) && header.indexOf(h) === header.lastIndexOf(h),
  );
  const raw = encodeFeatures(encoder, table);
  const x = standardize(standardizer, raw);
  const task = saved.spec.task;
  const y = new Float64Array(table.rows); // the model needs targets to be built; never read
  const model = buildNetwork(
    { ...saved.spec, classWeights: undefined },
    { ...raw, target: "", x, y, source: file },
  );
  // loadNetwork checked every parameter's length against this architecture.
  const params = new Float64Array(model.layout.size);
  for (const e of model.layout.entries) {
    const stored = saved.params[e.name];
    params.set(typeof stored === "number" ? [stored] : stored!, e.offset);
  }
  const out = new Float64Array(table.rows * model.outputs);
  model.predict(params, x, table.rows, out);
  const shown = [...others, ...inputs];
  const columnValues = shown.map((name) => {
    const c = table.columns.find((col) => col.name === name)!;
    return c.type === "numeric" ? Array.from(c.values, String) : [...c.values];
  });
  const keep = (i: number) => columnValues.map((c) => c[i]!);
  const target = saved.preprocessing.target;
  if (task === "regress") {
    const scale = saved.preprocessing.targetScale;
    if (scale) for (let i = 0; i < out.length; i++) out[i] = out[i]! * scale.sd + scale.mean;
    return {
      columns: [...shown, `${target}_predicted`],
      rows: Array.from({ length: table.rows }, (_, i) => [...keep(i), String(out[i])]),
    };
  }
  const labels = saved.preprocessing.labels!;
  const K = model.outputs === 1 ? 2 : model.outputs;
  const prob = (i: number, k: number) =>
    model.outputs === 1 ? (k === 1 ? out[i]! : 1 - out[i]!) : out[i * K + k]!;
  const predicted = Array.from({ length: table.rows }, (_, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (prob(i, k) > prob(i, best)) best = k;
    return best;
  });
  const names = decodeLabels(labels, predicted);
  return {
    columns: [...shown, `${target}_predicted`, ...labels.levels.map((l) => `p_${l}`)],
    rows: Array.from({ length: table.rows }, (_, i) => [
      ...keep(i),
      names[i]!,
      ...Array.from({ length: K }, (_, k) => String(prob(i, k))),
    ]),
  };
}

/** Parses JSON text of a saved model file. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InputError(`${path}: no such file`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}
