import { compileFormula } from "../../formula/compile.js";
import type { LibraryModel } from "../library/types.js";
import type { FitterModel } from "./curve-fitter.js";
import { kernelFor } from "./kernels.js";

/**
 * A library model as a many-curves model: its formula compiled once (or its fused kernel,
 * kernels.ts, when it has one), its self-start kept.
 */
export function libraryFitterModel(
  model: LibraryModel,
  constants: Readonly<Record<string, number>> = {},
): FitterModel {
  const curve = compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
    constants: { ...constants },
  });
  const kernel = kernelFor(model.name);
  return {
    name: model.name,
    curve: kernel ? { params: curve.params, variables: curve.variables, evaluate: kernel } : curve,
    positive: model.positive ?? [],
    selfStart: (columns, y) => model.selfStart(columns, y, constants),
  };
}
