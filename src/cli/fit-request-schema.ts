import { parseWith } from "../core/schema.js";
import { type FitCurveRequest, fitCurveRequestSchema } from "../tasks/fit-curve-request.js";
import { type FitGroupsRequest, fitGroupsRequestSchema } from "../tasks/fit-groups-request.js";

/**
 * `biograd fit`'s request checked by the fit-curve schema, for a request outside the limits
 * fit-request-limits.ts knows: the schema names the bad field (`request: y: Too small: …`).
 * Its own bundle, loaded only then: a plain fit loads no zod (scripts/bundle-cli.mjs).
 */
export function checkFitRequest(request: FitCurveRequest): FitCurveRequest {
  return parseWith(fitCurveRequestSchema, request, "request");
}

/** `biograd fit --group`'s request checked by the grouped schema (fit-groups-request-check.ts's fallback). */
export function checkGroupsRequest(request: FitGroupsRequest): FitGroupsRequest {
  return parseWith(fitGroupsRequestSchema, request, "request");
}
