import {
  type LogisticOptions,
  logisticRegression,
  type MlpModel,
  type MlpOptions,
  mlpModel,
  type NetData,
} from "../nn/index.js";

/**
 * How to build a network, as plain data: the factory and its options (class weights already
 * resolved to numbers). Plain so that it can be posted to worker threads, which build the same
 * network from it (network-worker.ts): a build description, not a closure, is what crosses.
 */
export type NetworkBuild =
  | { readonly kind: "mlp"; readonly options: MlpOptions }
  | { readonly kind: "logistic"; readonly options: LogisticOptions };

/** The network a build describes, on `data`. */
export function networkFromBuild(build: NetworkBuild, data: NetData): MlpModel {
  return build.kind === "logistic"
    ? logisticRegression(data, build.options)
    : mlpModel(data, build.options);
}

/**
 * The weight of each row of `data` in the loss's weighted mean (null when every row weighs 1):
 * the class weight of its label, as the classification heads weigh it (binary: w[0]·(1 − t) +
 * w[1]·t, which is w[t] for labels 0 and 1).
 */
export function rowWeights(build: NetworkBuild, y: Float64Array): Float64Array | null {
  const weights = build.options.classWeights;
  const classify = build.kind === "logistic" || build.options.task === "classify";
  if (!classify || weights === undefined) return null;
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = weights[y[i]!] ?? 0;
  return out;
}

/**
 * The dropout seed of part `part` of a network split over threads: part 0 keeps the network's
 * own seed (so one part is the one-thread network exactly); the others get streams of their own,
 * by SplitMix32's finaliser over seed + part·golden ratio, a uint32 like every seed.
 */
export function partSeed(seed: number, part: number): number {
  if (part === 0) return seed;
  let z = (seed + Math.imul(part, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
