export { fivePL, fourPL } from "./dose-response.js";
export { biexp, expDecay, expPlateau, expRise } from "./exponential.js";
export { gompertz, logistic, richards } from "./growth.js";
export { hill, hill4 } from "./hill.js";
export { competitiveInhibition, michaelisMenten, uncompetitiveInhibition } from "./kinetics.js";
export { pk1Oral } from "./pk.js";
export { findModel, MODELS, modelNames } from "./registry.js";
export type { LibraryModel } from "./types.js";
