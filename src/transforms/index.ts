export { chain, identity } from "./chain.js";
export { restoreState, type SavedState, saveState } from "./checkpoint.js";
export {
  type AdaptiveClipOptions,
  type AdaptiveClipState,
  type AgcAxis,
  adaptiveClip,
} from "./clip-adaptive-unitwise.js";
export {
  type AutoClipOptions,
  type AutoClipState,
  autoClip,
  percentileOfSorted,
} from "./clip-auto.js";
export {
  type BlockRmsState,
  type ClipByBlockRmsOptions,
  clipByBlockRms,
} from "./clip-by-block-rms.js";
export { type ClipByGlobalNormOptions, clipByGlobalNorm } from "./clip-by-global-norm.js";
export { type ClipByNormOptions, clipByNorm } from "./clip-by-norm.js";
export { type ClipByValueOptions, clipByValue } from "./clip-by-value.js";
export { type ZClipMode, type ZClipOptions, type ZClipState, zClip } from "./clip-zscore.js";
export { type FreezeState, freeze } from "./freeze.js";
export type { ClipState, NonFinitePolicy } from "./non-finite.js";
export * from "./optimizers.js";
export * from "./schedules.js";
export * from "./types.js";
