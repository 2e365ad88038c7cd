export {
  type Band,
  type BandModel,
  type BandOptions,
  bandModel,
  type CurveBands,
  curveBands,
} from "./bands.js";
export { type InverseGram, inverseGram } from "./covariance.js";
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
