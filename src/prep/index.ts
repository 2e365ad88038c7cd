export * from "./features.js";
export * from "./labels.js";
export { listLevels, sortLevels, type ValueLocation } from "./levels.js";
export * from "./one-hot.js";
export * from "./split.js";
export * from "./standardize.js";
export * from "./table.js";
