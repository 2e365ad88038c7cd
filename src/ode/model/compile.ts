/**
 * compileOdeModel: a model document → an OdeModel. Checks the document (validate.ts),
 * applies the overrides, lowers every expression into one graph (expressions.ts), builds the
 * generated kernels (kernels.ts) and wraps them in the contract's objects (runtime.ts).
 */
import { Graph } from "../../formula/graph.js";
import { expressionContext, type Forbidden, lowerExpression } from "./expressions.js";
import { buildKernels } from "./kernels.js";
import type { OdeModel, OdeModelOverrides } from "./model.js";
import { resolveConstants, resolveParameters } from "./overrides.js";
import { makeRuntime } from "./runtime.js";
import { Slots } from "./slots.js";
import { noPositions, type SourceMap } from "./source-map.js";
import { failer, validateModel } from "./validate.js";

/**
 * Compiles a model given as a plain object (parsed JSON or YAML). `source` names it in
 * messages; `map` (from parseModelText) adds line:column positions.
 */
export function compileOdeModel(
  doc: unknown,
  source: string,
  overrides: OdeModelOverrides = {},
  map: SourceMap = noPositions(source),
): OdeModel {
  const fail = failer(map);
  const m = validateModel(doc, fail);
  const parameters = resolveParameters(m, overrides);
  const constants = resolveConstants(m, overrides);
  const constantNames = Object.keys(constants);
  const slots = new Slots(
    m.states,
    parameters.map((p) => p.name),
    constantNames,
  );
  const graph = new Graph();
  const ctx = expressionContext(graph, slots, map);
  const noStates: Forbidden = new Map([
    ...m.states.map(
      (s) =>
        [
          s,
          `an initial value cannot depend on state "%s" (only on parameters and constants)`,
        ] as const,
    ),
    ["t", `an initial value cannot depend on time "t"`],
  ]);
  const noStatesInDose: Forbidden = new Map([
    ...m.states.map(
      (s) => [s, `a dose cannot depend on state "%s" (only on parameters and constants)`] as const,
    ),
    ["t", `a dose cannot depend on time "t" (its time is "at")`],
  ]);
  const rhs = m.states.map((s) => lowerExpression(ctx, m.equations[s]!, ["equations", s]));
  const initial = m.states.map((s) =>
    lowerExpression(ctx, m.initial[s]!, ["initial", s], noStates),
  );
  const observableNames = Object.keys(m.observables);
  const observables = observableNames.map((o) =>
    lowerExpression(ctx, m.observables[o]!, ["observables", o]),
  );
  const onlyConstants: Forbidden = new Map([
    ...[...m.states, ...parameters.map((p) => p.name)].map(
      (s) => [s, `a dose time cannot depend on "%s" (only on constants)`] as const,
    ),
    ["t", `a dose time cannot depend on "t"`],
  ]);
  const doseTimes = m.events.map((e, k) =>
    lowerExpression(ctx, e.at, ["events", k, "at"], onlyConstants),
  );
  const doses = m.events.map((e, k) =>
    lowerExpression(ctx, e.add, ["events", k, "add"], noStatesInDose),
  );
  const free = parameters.flatMap((p, j) => (p.fixed ? [] : [j]));
  const kernels = buildKernels({
    graph,
    slots,
    rhs,
    initial,
    observables,
    doses,
    doseTimes,
    free,
  });
  return makeRuntime({
    source,
    doc: m,
    map,
    parameters,
    constants,
    observables: observableNames,
    free,
    slots,
    kernels,
  });
}
