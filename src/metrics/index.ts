export * from "./classification.js";
export * from "./regression.js";
export * from "./roc-auc.js";
