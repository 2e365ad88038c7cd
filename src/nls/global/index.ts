export { compareShared } from "./compare-shared.js";
export { fitGlobal, fitGlobalCompared, type SharedAndSeparate } from "./fit-global.js";
export type {
  GlobalFit,
  GlobalFitOptions,
  GlobalGroup,
  GlobalParameterSpec,
  GlobalSummary,
  GroupStart,
  SharedComparison,
} from "./types.js";
