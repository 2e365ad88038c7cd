import type { FitCurveRequest } from "../tasks/fit-curve-request.js";
import { MAX_GROUP_COLUMNS, MAX_GROUP_NAME, MAX_SHARED } from "../tasks/fit-groups-limits.js";
import type { FitGroupsRequest } from "../tasks/fit-groups-request.js";
import { withinRequestLimits } from "./fit-request-limits.js";

// `biograd fit --group`'s request checked without zod, as fit-request-limits.ts does for a
// plain fit: a grouped fit then starts without loading zod (bench/startup/RESULTS.md).

/**
 * The schema's keys in its order (fit-groups-request.ts: the fit-curve fields but `task`, then
 * the grouped ones), and the file source's. zod's output lists keys in this order, and the
 * journal's and queue's keys hash the request's JSON, so a request that skips zod must have it
 * too. test/cli/fit-groups-request-check.test.ts checks both lists against the schemas.
 */
export const GROUPS_REQUEST_KEYS = [
  "data",
  "model",
  "x",
  "y",
  "start",
  "fix",
  "bounds",
  "constants",
  "weights",
  "phases",
  "codegen",
  "level",
  "ci",
  "logX",
  "residuals",
  "task",
  "group",
  "share",
  "compareShared",
  "engine",
] as const;
export const FILE_SOURCE_KEYS = ["file", "delimiter", "na", "sheet"] as const;

const isName = (s: string) => s.length >= 1 && s.length <= MAX_GROUP_NAME;
const isNames = (list: readonly string[], most: number) =>
  list.length >= 1 && list.length <= most && list.every(isName);

/**
 * The request as fitGroupsRequestSchema would return it, when the schema surely accepts a
 * request that fitGroupsCommand built (fitRequest's fields within fit-request-limits.ts's
 * limits, the grouped fields within fit-groups-limits.ts's); else null, and the caller asks the
 * schema, whose message names the bad field as for any request.
 */
export function checkedGroupsRequest(request: FitGroupsRequest): FitGroupsRequest | null {
  const keys: readonly string[] = GROUPS_REQUEST_KEYS;
  const dataKeys: readonly string[] = FILE_SOURCE_KEYS;
  if (Object.keys(request).some((k) => !keys.includes(k))) return null;
  if (Object.keys(request.data).some((k) => !dataKeys.includes(k))) return null;
  if (request.task !== "fit-groups") return null;
  const { task: _task, group, share, compareShared, engine, ...single } = request;
  if (!withinRequestLimits({ ...single, task: "fit-curve" } as FitCurveRequest)) return null;
  if (!isNames(group, MAX_GROUP_COLUMNS)) return null;
  if (share !== undefined && !isNames(share, MAX_SHARED)) return null;
  if (compareShared !== undefined && typeof compareShared !== "boolean") return null;
  if (engine !== undefined && engine !== "exact" && engine !== "fast") return null;
  return inSchemaOrder(request);
}

/** A copy with the schema's key order, as zod copies a request it accepts. */
function inSchemaOrder(request: FitGroupsRequest): FitGroupsRequest {
  const from = request as unknown as Record<string, unknown>;
  const data = request.data as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of GROUPS_REQUEST_KEYS) {
    if (key in from) out[key] = copy(from[key]);
  }
  const source: Record<string, unknown> = {};
  for (const key of FILE_SOURCE_KEYS) {
    if (key in data) source[key] = copy(data[key]);
  }
  out.data = source;
  return out as unknown as FitGroupsRequest;
}

/** Arrays and plain records copied (keys in their order), as zod's output holds new ones. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  }
  return value;
}
