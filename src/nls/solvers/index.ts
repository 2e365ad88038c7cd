export { createLmSolver, type LmSolver, levenbergMarquardt } from "./levenberg-marquardt.js";
export {
  type LmIterationInfo,
  type LmOptions,
  type LmStopCode,
  MINPACK_LM_OPTIONS,
  type ResolvedLmOptions,
  resolveLmOptions,
} from "./lm-options.js";
export type { LmResult } from "./lm-result.js";
