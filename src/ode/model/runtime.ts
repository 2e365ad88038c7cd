/**
 * The compiled kernels wrapped in the contract's objects (src/ode/types.ts): θ (the free
 * parameters) is spread into the full parameter vector p, the condition chooses the constants
 * vector c, and each method is one call of a generated kernel writing into the caller's buffer.
 */
import { InputError, OptionError } from "../../core/errors.js";
import type { Discontinuity, SensitivitySystem } from "../types.js";
import type { ModelKernels } from "./kernels.js";
import type { NoiseSource, OdeModel, OdeParameter } from "./model.js";
import type { OdeModelDoc } from "./schema.js";
import type { Slots } from "./slots.js";
import type { SourceMap } from "./source-map.js";
import { failer } from "./validate.js";

export interface RuntimeParts {
  readonly source: string;
  readonly doc: OdeModelDoc;
  readonly map: SourceMap;
  readonly parameters: readonly OdeParameter[];
  readonly constants: Readonly<Record<string, number>>;
  readonly observables: readonly string[];
  readonly free: readonly number[];
  readonly slots: Slots;
  readonly kernels: ModelKernels;
}

export function makeRuntime(r: RuntimeParts): OdeModel {
  const { doc, kernels: k, slots, free } = r;
  const n = slots.n;
  const np = free.length;
  const freeParams = free.map((j) => r.parameters[j]!);
  const constantNames = Object.keys(r.constants);
  const conditionNames = Object.keys(doc.conditions?.constants ?? {});
  const base = Float64Array.from(constantNames, (name) => r.constants[name]!);
  const byCondition = new Map(
    conditionNames.map((cond) => {
      const c = base.slice();
      for (const [name, v] of Object.entries(doc.conditions!.constants[cond]!)) {
        c[constantNames.indexOf(name)] = v;
      }
      return [cond, c] as const;
    }),
  );
  const constantsOf = (condition: string | undefined): Float64Array => {
    if (condition === undefined) return base;
    const c = byCondition.get(condition);
    if (c !== undefined) return c;
    const known = conditionNames.join(", ") || "none (the model has no conditions)";
    throw new InputError(`${r.source}: unknown condition "${condition}"; conditions are ${known}`);
  };
  const pFull = (
    theta: Float64Array,
    into = new Float64Array(r.parameters.length),
  ): Float64Array => {
    if (theta.length !== np) {
      throw new OptionError(
        "OdeModel",
        "theta",
        `${theta.length} values`,
        `${np} values (${freeParams.map((p) => p.name).join(", ")})`,
      );
    }
    r.parameters.forEach((p, j) => {
      into[j] = p.start;
    });
    free.forEach((j, l) => {
      into[j] = theta[l]!;
    });
    return into;
  };
  const scratch = new Float64Array(r.parameters.length);
  const noiseSources: NoiseSource[] = r.observables.map((o) => {
    const sigma = doc.noise[o];
    if (sigma === undefined) return { kind: "value", value: 1 };
    if (typeof sigma === "number") return { kind: "value", value: sigma };
    const l = free.findIndex((j) => r.parameters[j]!.name === sigma);
    if (l >= 0) return { kind: "parameter", name: sigma, index: l };
    const fixed = r.parameters.find((p) => p.name === sigma);
    return { kind: "value", value: fixed?.start ?? r.constants[sigma]! };
  });
  // σ named by a constant follows the condition's value of that constant.
  const noiseConstant = r.observables.map((o) => {
    const sigma = doc.noise[o];
    const isParam = r.parameters.some((p) => p.name === sigma);
    return typeof sigma === "string" && !isParam ? constantNames.indexOf(sigma) : -1;
  });
  const timeDependent = k.time !== null;

  return {
    source: r.source,
    states: slots.states,
    parameters: {
      all: r.parameters,
      free: freeParams.map((p) => p.name),
      start: Float64Array.from(freeParams, (p) => p.start),
      lower: Float64Array.from(freeParams, (p) => p.lower),
      upper: Float64Array.from(freeParams, (p) => p.upper),
    },
    constants: r.constants,
    observables: r.observables,
    t0: doc.t0,
    conditionColumn: doc.conditions?.column ?? null,
    conditions: conditionNames,
    noiseSources,
    timeDependent,

    system(theta, condition): SensitivitySystem {
      const p = pFull(theta);
      const c = constantsOf(condition);
      // bound once: nodes of parameters and constants only are computed here, not per call
      const rhs = k.rhs(p, c);
      const jacobian = k.jacobian(p, c);
      const paramJacobian = k.paramJacobian(p, c);
      const sensJv = k.sensJv(p, c);
      const augmented = k.augmented(p, c);
      const system: SensitivitySystem = {
        n,
        np,
        rhs: (t, y, dydt) => rhs(t, y, p, c, null, null, dydt),
        jacobian: (t, y, J) => jacobian(t, y, p, c, null, null, J),
        paramJacobian: (t, y, out) => paramJacobian(t, y, p, c, null, null, out),
        sensitivityJacobianTimesVector: (t, y, S, v, out) => sensJv(t, y, p, c, v, S, out),
        augmentedRhs: (t, z, dz) => augmented(t, z, p, c, null, z, dz),
      };
      if (k.time === null || k.sensTime === null) return system;
      const time = k.time(p, c);
      const sensTime = k.sensTime(p, c);
      return {
        ...system,
        timeDerivative: (t, y, out) => time(t, y, p, c, null, null, out),
        sensitivityTimeDerivative: (t, y, S, out) => sensTime(t, y, p, c, null, S, out),
      };
    },

    initial(theta, condition) {
      const p = pFull(theta, scratch);
      const c = constantsOf(condition);
      const y0 = new Float64Array(n);
      const S0 = new Float64Array(n * np);
      k.y0(doc.t0, null, p, c, null, null, y0);
      k.S0(doc.t0, null, p, c, null, null, S0);
      return { y0, S0 };
    },

    observe(t, y, S, theta, out, dOut, condition) {
      const p = pFull(theta, scratch);
      const c = constantsOf(condition);
      k.observe(t, y, p, c, null, null, out);
      if (S !== null && dOut !== null) k.observeSens(t, y, p, c, null, S, dOut);
    },

    noise(theta, condition) {
      const c = constantsOf(condition);
      return Float64Array.from(noiseSources, (s, m) => {
        if (s.kind === "parameter") return theta[s.index]!;
        const j = noiseConstant[m]!;
        return j >= 0 ? c[j]! : s.value;
      });
    },

    discontinuities(theta, condition) {
      const p = pFull(theta, scratch);
      const c = constantsOf(condition);
      const times = new Float64Array(doc.events.length);
      k.doseTimes(doc.t0, null, p, c, null, null, times);
      const events = doc.events.map((e, index) => {
        const at = times[index]!;
        if (!(at >= doc.t0)) {
          const where = r.map.where(["events", index, "at"]);
          const cond = condition === undefined ? "" : ` in condition "${condition}"`;
          throw new InputError(
            `${where}: events[${index}].at: the dose time ${at}${cond} is before t0 = ${doc.t0}`,
          );
        }
        const out = new Float64Array(1 + np);
        k.doses[index]!(at, null, p, c, null, null, out);
        const state = slots.states.indexOf(e.state);
        const dose: Discontinuity = {
          time: at,
          apply(y, S) {
            y[state]! += out[0]!;
            if (S === undefined) return;
            for (let l = 0; l < np; l++) S[state * np + l]! += out[1 + l]!;
          },
        };
        return dose;
      });
      return events.sort((a, b) => a.time - b.time);
    },

    checkObservablesAgainst(columns) {
      const fail = failer(r.map);
      const have = new Set(columns);
      const list = columns.join(", ");
      for (const o of r.observables) {
        if (!have.has(o))
          fail(["observables", o], `"${o}" is not a column of the data; columns are ${list}`, true);
      }
      const column = doc.conditions?.column;
      if (column !== undefined && !have.has(column)) {
        fail(
          ["conditions", "column"],
          `"${column}" is not a column of the data; columns are ${list}`,
        );
      }
    },
  };
}
