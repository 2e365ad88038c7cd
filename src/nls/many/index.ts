export {
  type CurveFitter,
  type CurveFitterOptions,
  createCurveFitter,
  type FitterModel,
  type ManyCurveFit,
  type StartKind,
} from "./curve-fitter.js";
export { ManyCurveReport } from "./curve-report.js";
export { type CurveChunkRequest, type CurveChunkResult, fitCurveChunk } from "./fit-chunk.js";
export { libraryFitterModel } from "./library-model.js";
export { createWeightedRefit, type WeightedRefit } from "./weighted-refit.js";
