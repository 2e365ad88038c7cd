export {
  type Band,
  type BandModel,
  type BandOptions,
  bandModel,
  type CurveBands,
  curveBands,
} from "./bands.js";
export { fUpperTail } from "./compare-f-distribution.js";
export {
  type ComparedModel,
  type CompareOptions,
  compareModels,
  extraSumOfSquaresTest,
  type FTest,
  type ModelComparison,
  type NamedFitStats,
} from "./compare-models.js";
export {
  akaikeWeights,
  fitStats,
  informationOf,
  type ModelFitStats,
  pooledFitStats,
} from "./compare-stats.js";
export { type InverseGram, inverseGram } from "./covariance.js";
export {
  type Ec50Estimate,
  type Ec50Scale,
  type Ec50Spec,
  ec50,
  ec50SpecFor,
  type ScaledEstimate,
} from "./derived-ec50.js";
export { type RelativePotency, relativePotency } from "./derived-potency.js";
export { type InformationCriteria, informationCriteria } from "./information-criteria.js";
export { profileIntervals } from "./profile.js";
export type {
  ParameterProfile,
  ProfileIntervals,
  ProfileOptions,
  ProfilePoint,
} from "./profile-types.js";
export { studentTCdf, studentTQuantile, twoSidedPValue } from "./student-t.js";
export { nlsSummary } from "./summary.js";
export type {
  NlsSummary,
  NlsSummaryInput,
  NlsSummaryOptions,
  NlsWarning,
  NlsWarningCode,
} from "./summary-types.js";
