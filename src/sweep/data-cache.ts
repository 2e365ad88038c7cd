import { readDataset } from "../data/csv.js";
import type { Dataset } from "../data/dataset.js";
import type { RunSpec } from "./spec.js";

/**
 * Data sets read by this thread, by what was read: a worker runs many specs on the same file
 * and reads it once. Kept small (the last few files) so a long-lived pool does not hoard memory.
 */
const cache = new Map<string, Dataset>();
const LIMIT = 4;

export function datasetOf(spec: RunSpec, columns: readonly string[] = spec.x): Dataset {
  const key = JSON.stringify([
    spec.file,
    spec.fileSha256,
    columns,
    spec.y,
    spec.na,
    spec.delimiter,
  ]);
  const hit = cache.get(key);
  if (hit) return hit;
  const data = readDataset(spec.file, {
    x: columns,
    y: spec.y,
    na: spec.na ?? undefined,
    delimiter: spec.delimiter ?? undefined,
  });
  if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, data);
  return data;
}
