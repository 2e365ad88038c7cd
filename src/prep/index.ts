export { listLevels, sortLevels, type ValueLocation } from "../data/levels.js";
export * from "../data/table.js";
export * from "./features.js";
export * from "./labels.js";
export * from "./one-hot.js";
export * from "./split.js";
export * from "./standardize.js";
