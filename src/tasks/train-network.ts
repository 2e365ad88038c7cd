import { InputError } from "../core/errors.js";
import { toNamed } from "../core/layout.js";
import { parseWith } from "../core/schema.js";
import { prepareData, preparedColumns, prepareTable } from "../learn/prepare.js";
import { finiteRecord, runOutcome } from "../learn/run-summary.js";
import { networkToJSON } from "../learn/saved-network.js";
import { type NetworkSpec, trainNetwork } from "../learn/train-network.js";
import { buildTransform } from "../transforms/build.js";
import { inlineTable, sourceColumns, sourceName } from "./data-source.js";
import { epochCallback, runControl, type TrainTaskOptions } from "./train-linear-schema.js";
import { type TrainNetworkRequest, trainNetworkRequestSchema } from "./train-network-schema.js";

export { type TrainNetworkRequest, trainNetworkRequestSchema } from "./train-network-schema.js";

/**
 * Trains the network of a `train-network` request and returns the run as plain JSON: the
 * request as understood, the split, the chain, parameters by name, metrics on each part
 * (null after a diverged run: there is nothing to measure), the stop reason, warnings,
 * timings, the history in columns, and the saved-network document (`predict`'s input; null
 * after a diverged run). Never prints.
 */
export function runTrainNetwork(request: unknown, options: TrainTaskOptions = {}) {
  const settings: TrainNetworkRequest = parseWith(trainNetworkRequestSchema, request, "request");
  const problem = settings.problem ?? (settings.model === "logistic" ? "classify" : "regress");
  if (settings.model === "logistic" && problem !== "classify") {
    throw new InputError(
      'request: problem: logistic regression is a classifier; use "classify" or an mlp model',
    );
  }
  const features = settings.x ?? sourceColumns(settings.data).filter((c) => c !== settings.y);
  const prepareOptions = {
    target: settings.y,
    features,
    categorical: settings.categorical,
    task: problem,
    positive: settings.positive,
    fractions: settings.split,
    seed: settings.seed,
  };
  const source = settings.data;
  const prepared =
    "file" in source
      ? prepareData({
          ...prepareOptions,
          file: source.file,
          na: source.na,
          delimiter: source.delimiter,
          sheet: source.sheet,
        })
      : prepareTable(inlineTable(source, preparedColumns(prepareOptions)), prepareOptions);
  const spec: NetworkSpec = {
    model: settings.model,
    task: problem,
    loss: settings.loss,
    dropout: settings.dropout,
    dtype: settings.dtype,
    classWeights: settings.classWeights,
    classes: prepared.preprocessing.labels?.levels.length,
  };
  const batchSize = Math.min(settings.batchSize ?? 32, prepared.train.rows);
  const totalSteps = settings.epochs * Math.ceil(prepared.train.rows / batchSize);
  const transform = buildTransform(settings.transform, { totalSteps });
  const run = trainNetwork(
    spec,
    prepared,
    {
      transform,
      epochs: settings.epochs,
      batchSize,
      seed: settings.seed,
      earlyStopping: settings.earlyStopping,
      workers: settings.workers,
      lossThreshold: settings.lossThreshold,
      logEvery: settings.logEvery ?? Math.max(1, Math.floor(settings.epochs / 10)),
      onLog: options.onLog,
      onEpoch: epochCallback(options, settings.epochs),
      trainer: runControl(options),
    },
    prepared.preprocessing.targetScale,
  );
  const { result, metrics } = run;
  const training = {
    settings,
    stopReason: result.stopReason,
    epochs: result.epochs,
    bestEpoch: result.bestEpoch ?? null,
  };
  return {
    task: "train-network" as const,
    settings,
    data: {
      source: sourceName(source),
      rows: prepared.rows,
      train: prepared.train.rows,
      validation: prepared.validation.rows,
      test: prepared.test.rows,
      features: [...prepared.train.features],
      target: settings.y,
    },
    model: run.model.spec,
    problem,
    transform: transform.name,
    parameters: toNamed(run.model.layout, run.params),
    metrics: metrics && {
      train: finiteRecord(metrics.train),
      validation: metrics.validation && finiteRecord(metrics.validation),
      test: metrics.test && finiteRecord(metrics.test),
    },
    ...runOutcome(result, { tensorNorms: true }),
    network: metrics ? networkToJSON(spec, run, prepared.preprocessing, training) : null,
  };
}

export type TrainNetworkResult = ReturnType<typeof runTrainNetwork>;
