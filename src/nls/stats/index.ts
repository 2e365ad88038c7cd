export { type InverseGram, inverseGram } from "./covariance.js";
export { type InformationCriteria, informationCriteria } from "./information-criteria.js";
export { studentTCdf, studentTQuantile, twoSidedPValue } from "./student-t.js";
export { nlsSummary } from "./summary.js";
export type {
  NlsSummary,
  NlsSummaryInput,
  NlsSummaryOptions,
  NlsWarning,
  NlsWarningCode,
} from "./summary-types.js";
