import { parseWith } from "../core/schema.js";
import { type FieldLabels, fitCurveRequestSchema, JSON_LABELS } from "./fit-curve-request.js";
import { type PreparedCurveFit, prepareCheckedCurveFit } from "./prepare-checked-curve-fit.js";

export type { PreparedCurveFit } from "./prepare-checked-curve-fit.js";

/**
 * Everything a curve fit needs from a request as received (JSON): validated by the schema
 * (messages name the field), then prepared (prepare-checked-curve-fit.ts).
 */
export function prepareCurveFit(
  input: unknown,
  labels: FieldLabels = JSON_LABELS,
): PreparedCurveFit {
  return prepareCheckedCurveFit(parseWith(fitCurveRequestSchema, input, "request"), labels);
}
