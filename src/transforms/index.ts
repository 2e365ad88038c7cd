export { chain, identity } from "./chain.js";
export { type ClipByGlobalNormOptions, clipByGlobalNorm } from "./clip-by-global-norm.js";
export { type ClipByNormOptions, clipByNorm } from "./clip-by-norm.js";
export { type ClipByValueOptions, clipByValue } from "./clip-by-value.js";
export { type FreezeState, freeze } from "./freeze.js";
export type { ClipState, NonFinitePolicy } from "./non-finite.js";
export * from "./optimizers.js";
export * from "./schedules.js";
export * from "./types.js";
