export {
  type QualityOptions,
  type QualityReport,
  qualityDefaultsFor,
  qualityFlags,
} from "./flags.js";
export {
  QUALITY_FLAGS,
  type QualityFlag,
  type QualityFlagCode,
} from "./flags-list.js";
export { findOutliers, type OutlierOptions, type OutlierReport, rsdr } from "./outliers.js";
