import { fivePL, fourPL } from "./dose-response.js";
import { biexp, expDecay, expPlateau, expRise } from "./exponential.js";
import { gompertz, logistic, richards } from "./growth.js";
import { hill, hill4 } from "./hill.js";
import { competitiveInhibition, michaelisMenten, uncompetitiveInhibition } from "./kinetics.js";
import { pk1Oral } from "./pk.js";
import type { LibraryModel } from "./types.js";

/** Every library model, in the order `biograd models` lists them. */
export const MODELS: readonly LibraryModel[] = Object.freeze([
  michaelisMenten,
  competitiveInhibition,
  uncompetitiveInhibition,
  hill,
  hill4,
  fourPL,
  fivePL,
  logistic,
  gompertz,
  richards,
  expDecay,
  expPlateau,
  expRise,
  biexp,
  pk1Oral,
]);

function key(name: string): string {
  return name.trim().toLowerCase().replace(/_/g, "-");
}

const byName = new Map<string, LibraryModel>();
for (const model of MODELS) {
  for (const name of [model.name, ...(model.aliases ?? [])]) {
    if (byName.has(key(name))) throw new Error(`model library: duplicate name "${name}"`);
    byName.set(key(name), model);
  }
}

/** The model called `name` or one of its aliases (case-insensitive, _ as -), if any. */
export function findModel(name: string): LibraryModel | undefined {
  return byName.get(key(name));
}

/** Every accepted name (names and aliases), sorted: for "did you mean" messages. */
export function modelNames(): string[] {
  return [...byName.keys()].sort();
}
