import { createHash } from "node:crypto";
import type { SweepCellRequest } from "../tasks/sweep-cell-request.js";

/**
 * A sweep run is one `sweep-cell` task request (src/tasks/sweep-cell-request.ts): the
 * complete train or fit request of one setting and seed, plain JSON — everything a worker
 * needs to repeat it exactly and nothing else (no functions, no Infinity, absolute paths).
 * Its hash is the run key that the journal deduplicates on, so two runs with the same
 * request are the same run; requests are normalised by their schema before they are keyed,
 * so a request read back from the journal hashes to the same key.
 */
export type RunSpec = SweepCellRequest;

/** JSON with object keys sorted at every level: the same spec always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Error(`run spec: ${value} cannot be written as JSON; use null`);
  }
  return JSON.stringify(value);
}

/** The run key: the first 16 hex digits of SHA-256 over the spec's canonical JSON. */
export function runKey(spec: RunSpec): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex").slice(0, 16);
}

/** What a run costs against an epochs budget: a train run's epochs, a fit cell's steps. */
export function plannedEpochs(spec: RunSpec): number {
  return spec.firstOrder ? spec.firstOrder.steps : (spec.run as { epochs: number }).epochs;
}
