export { levenbergMarquardt } from "./levenberg-marquardt.js";
export type { LmIterationInfo, LmOptions, LmStopCode } from "./lm-options.js";
export type { LmResult } from "./lm-result.js";
