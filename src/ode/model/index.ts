export { compileOdeModel } from "./compile.js";
export { loadOdeModel, parseOdeModel } from "./load.js";
export type {
  NoiseSource,
  OdeModel,
  OdeModelOverrides,
  OdeParameter,
  OdeParameters,
} from "./model.js";
export { type OdeModelDoc, odeModelSchema } from "./schema.js";
export { type SimulateOptions, simulateOdeModel, type Trajectory } from "./simulate.js";
