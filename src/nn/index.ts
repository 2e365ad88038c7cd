export { matmul, matmulTransA, matmulTransB } from "./kernels/gemm.js";
export { gemmBackend } from "./kernels/gemm-select.js";
export { sigmoid } from "./layers/activation-kernels.js";
export {
  ACTIVATIONS,
  type Activation,
  type ActivationName,
  activation,
  activationBackward,
  activationForward,
} from "./layers/activations.js";
export {
  type DenseLayer,
  denseBackward,
  denseForward,
  denseLayer,
  denseSpecs,
} from "./layers/dense.js";
export { applyMask, checkDropoutRate, drawDropoutMask } from "./layers/dropout.js";
export {
  type InitDistribution,
  type InitOptions,
  type InitScheme,
  initDense,
  initStd,
  schemeFor,
} from "./layers/init.js";
export { bceWithLogitsLoss, binaryWeight, binaryWeightTotal } from "./losses/binary.js";
export { huberLoss, mseLoss } from "./losses/regression.js";
export {
  classWeightTotal,
  logSumExp,
  softmaxCrossEntropyLoss,
  softmaxRows,
} from "./losses/softmax.js";
export { erf, erfc, normalCdf, normalPdf } from "./math/erf.js";
export { type LogisticOptions, logisticRegression } from "./models/logistic.js";
export { type MlpModel, mlpModel, type NetData } from "./models/mlp.js";
export type { MlpOptions } from "./models/mlp-options.js";
export {
  createNetwork,
  initNetwork,
  type Network,
  type NetworkInit,
  type NetworkShape,
} from "./models/network.js";
export { networkBackward, networkForward } from "./models/network-pass.js";
export { formatMlpSpec, type MlpSpec, parseMlpSpec } from "./models/spec.js";
