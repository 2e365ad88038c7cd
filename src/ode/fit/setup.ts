import { readColumnNames } from "../../data/table.js";
import {
  loadOdeModel,
  type OdeModel,
  type OdeModelOverrides,
  parseOdeModel,
} from "../model/index.js";
import type { SolverChoice } from "../types.js";
import { type OdeData, readOdeData } from "./ode-data.js";

/**
 * Everything an ODE fit needs, as plain data: what a worker thread receives to rebuild the
 * model and the data (a compiled model cannot cross a thread boundary).
 */
export interface OdeFitSetup {
  /** A model file, or the model's text with a name for messages. */
  readonly model: { readonly file: string } | { readonly text: string; readonly name: string };
  readonly overrides: OdeModelOverrides;
  readonly data: {
    readonly file: string;
    readonly time: string;
    readonly na?: readonly string[];
    readonly delimiter?: string;
    readonly sheet?: string;
  };
  readonly solve: {
    readonly solver?: SolverChoice;
    readonly rtol?: number;
    readonly atol?: number;
    readonly maxSteps?: number;
  };
  /** Confidence level of the intervals (default 0.95). */
  readonly level?: number;
  /** Time-horizon continuation (default true; see horizon-continuation.ts). */
  readonly continuation?: boolean;
}

export interface LoadedSetup {
  readonly model: OdeModel;
  readonly data: OdeData;
}

/** Compiles the model (with its overrides) and reads its observables' columns from the data. */
export function loadSetup(setup: OdeFitSetup): LoadedSetup {
  const model =
    "file" in setup.model
      ? loadOdeModel(setup.model.file, setup.overrides)
      : parseOdeModel(setup.model.text, setup.model.name, setup.overrides);
  const d = setup.data;
  const where = {
    ...(d.delimiter === undefined ? {} : { delimiter: d.delimiter }),
    ...(d.sheet === undefined ? {} : { sheet: d.sheet }),
  };
  // The model names the observable's place in its file when a data column is missing.
  model.checkObservablesAgainst(readColumnNames(d.file, where));
  const data = readOdeData(d.file, {
    time: d.time,
    observables: model.observables,
    ...(d.na === undefined ? {} : { na: d.na }),
    ...where,
  });
  return { model, data };
}
