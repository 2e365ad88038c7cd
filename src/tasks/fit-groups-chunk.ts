import type { FieldLabels } from "./fit-curve-request.js";
import { type FastFitters, fastFitters, fitGroup, type GroupData } from "./fit-groups-fit.js";
import { type GroupsModel, prepareGroupsModel } from "./fit-groups-model.js";
import type { FitGroupsRequest } from "./fit-groups-request.js";
import type { GroupRow } from "./fit-groups-row.js";

/**
 * A chunk of groups as one batch job: plain data, so it can cross to a worker thread (the
 * pool executor imports this module and calls `fitGroupsChunk`). The request is the run's,
 * already checked; the groups carry their own rows.
 */
export interface GroupsChunk {
  request: FitGroupsRequest;
  labels: FieldLabels;
  groups: GroupData[];
}

// One prepared model (compiled formula, fast fitters) per thread and run: a worker handles
// many chunks of the same run.
let cached: { key: string; prepared: GroupsModel; fast: FastFitters | null } | null = null;

export function fitGroupsChunk(chunk: GroupsChunk): GroupRow[] {
  const key = JSON.stringify([chunk.request, chunk.labels]);
  if (cached?.key !== key) {
    const prepared = prepareGroupsModel(chunk.request, chunk.labels);
    const fast = chunk.request.engine === "fast" ? fastFitters(chunk.request, prepared) : null;
    cached = { key, prepared, fast };
  }
  const { prepared, fast } = cached;
  return chunk.groups.map((g) => fitGroup(chunk.request, prepared, g, fast));
}
