import type { z } from "zod";
import { parseWith } from "../core/schema.js";
import { compareModelsRequestSchema } from "../tasks/compare-request.js";
import { fitCurveRequestSchema } from "../tasks/fit-curve-request.js";
import { fitGroupsRequestSchema } from "../tasks/fit-groups-request.js";
import { predictRequestSchema } from "../tasks/predict-request.js";
import { trainLinearRequestSchema } from "../tasks/train-linear-schema.js";
import { trainNetworkRequestSchema } from "../tasks/train-network-schema.js";
import { toHttpError } from "./http-error.js";
import { sweepRequestSchema } from "./sweep-request.js";

const SCHEMAS: Record<string, z.ZodType> = {
  "compare-models": compareModelsRequestSchema,
  "fit-curve": fitCurveRequestSchema,
  "fit-groups": fitGroupsRequestSchema,
  predict: predictRequestSchema,
  sweep: sweepRequestSchema,
  "train-linear": trainLinearRequestSchema,
  "train-network": trainNetworkRequestSchema,
};

/**
 * The request checked by its task's schema before it is queued, so a misspelt field is a 400
 * at once (`request: x: …`, field "x"). What only running finds (a bad cell, a formula the
 * compiler refuses) fails the task with the same kind of message.
 */
export function checkRequest(kind: string, request: unknown): void {
  const schema = SCHEMAS[kind];
  if (schema === undefined) return;
  try {
    parseWith(schema, request, "request");
  } catch (e) {
    throw toHttpError(e);
  }
}
