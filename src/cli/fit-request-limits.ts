import {
  MAX_MODEL as MODEL,
  MAX_NA_TOKENS as NA_TOKENS,
  MAX_NAME as NAME,
  MAX_NAMES as NAMES,
} from "../tasks/fit-curve-limits.js";
import type { FitCurveRequest } from "../tasks/fit-curve-request.js";

// The schema's limits (src/tasks/fit-curve-limits.ts) that a request built from `biograd fit`'s
// options can break.

// "__proto__" as a key: zod's copy of the record would differ from the request; the schema decides.
const isName = (s: string) => s.length >= 1 && s.length <= NAME && s !== "__proto__";
const isNameList = (list: readonly string[]) =>
  list.length >= 1 && list.length <= NAMES && list.every(isName);
const isNumbers = (r: Record<string, number> | undefined) =>
  r === undefined ||
  (Object.keys(r).length <= NAMES &&
    Object.entries(r).every(([k, v]) => isName(k) && Number.isFinite(v)));
const isBound = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isFinite(v);

/**
 * Whether the schema surely accepts a request that fitRequest built: then `biograd fit` runs it
 * without zod (a fit's start-up, bench/startup/RESULTS.md). When not — a limit broken, or
 * something this does not know — the fit goes through the schema, which names the bad field as
 * for any request (`request: y: Too small: …`), so messages are the schema's either way.
 * test/cli/fit-request-limits.test.ts checks this against the schema at every limit.
 */
export function withinRequestLimits(request: FitCurveRequest): boolean {
  const { data } = request;
  if (!("file" in data) || data.file.length < 1) return false;
  if (data.na !== undefined && data.na.length > NA_TOKENS) return false;
  if (data.sheet !== undefined && !isName(data.sheet)) return false;
  if (request.model.length < 1 || request.model.length > MODEL) return false;
  const x = request.x;
  if (Array.isArray(x) ? !isNameList(x) : !isNameList([...Object.keys(x), ...Object.values(x)])) {
    return false;
  }
  if (!isName(request.y)) return false;
  if (!isNumbers(request.start) || !isNumbers(request.fix) || !isNumbers(request.constants)) {
    return false;
  }
  for (const [name, b] of Object.entries(request.bounds ?? {})) {
    if (!isName(name) || !isBound(b.lower) || !isBound(b.upper)) return false;
  }
  if (request.weights !== undefined && !isName(request.weights)) return false;
  if (request.logX !== undefined && !isNameList(request.logX)) return false;
  const phases = request.phases;
  if (phases !== undefined && (phases.length < 1 || phases.length > 2)) return false;
  return request.level === undefined;
}
