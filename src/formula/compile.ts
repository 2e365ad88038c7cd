/**
 * compileFormula: text and spec → a CurveFunction with symbolic partials.
 *   parse (mathjs, positions) → check (allow-list, names) → lower to the hash-consed DAG
 *   (simplifying) → derive per parameter → plan → generated function or interpreter.
 */

import type { CurveFunction } from "../core/curve.js";
import { OptionError } from "../core/errors.js";
import { checkFormula } from "./check.js";
import { generate } from "./codegen.js";
import { derivative } from "./derive.js";
import type { Expr } from "./expr.js";
import { Graph } from "./graph.js";
import { interpret } from "./interpret.js";
import { lower } from "./lower.js";
import { parseFormula } from "./parse.js";
import { makePlan, type Plan } from "./plan.js";
import { printNode } from "./print.js";
import { shapeCheck } from "./shapes.js";
import { checkSpecShape, type FormulaSpec, makeScope, type Scope } from "./spec.js";

export interface CompiledFormula extends CurveFunction {
  readonly text: string;
  /** The simplified value expression as text (constants substituted). */
  readonly simplified: string;
  /** Simplified derivative expressions as text, per parameter (for docs/debugging). */
  readonly derivatives: Readonly<Record<string, string>>;
  /** Whether a generated JS function or the tree interpreter runs it. */
  readonly mode: "codegen" | "interpreter";
}

/** Everything up to code generation: what compileFormula evaluates, for tools and tests. */
export interface FormulaPlan {
  readonly scope: Scope;
  readonly expr: Expr;
  readonly plan: Plan;
  /** The value node, and ∂/∂θ_j per parameter j, in plan.graph. */
  readonly value: number;
  readonly partials: readonly number[];
}

export function planFormula(text: string, spec: FormulaSpec): FormulaPlan {
  if (typeof text !== "string") throw new OptionError("compileFormula", "text", text, "a string");
  checkSpecShape(spec);
  const tree = parseFormula(text);
  const scope = makeScope(spec, tree, text);
  const expr = checkFormula(tree, scope, text);
  const graph = new Graph();
  const value = lower(graph, expr);
  const partials = scope.params.map((_, k) => derivative(graph, value, k));
  return { scope, expr, plan: makePlan(graph, [value, ...partials]), value, partials };
}

/** Compiled formulas by text and spec: a process that fits one formula many times compiles it once. */
const cache = new Map<string, CompiledFormula>();
const CACHE_SIZE = 64;

/**
 * The formula's curve, compiled once per text and spec in a process: the object returned is
 * frozen and shared (its `evaluate` writes only into the caller's arrays).
 */
export function compileFormula(text: string, spec: FormulaSpec): CompiledFormula {
  if (typeof text !== "string") throw new OptionError("compileFormula", "text", text, "a string");
  checkSpecShape(spec);
  const key = cacheKey(text, spec);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const compiled = Object.freeze(build(text, spec));
  // The oldest entry goes first (a Map iterates in insertion order).
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, compiled);
  return compiled;
}

/**
 * Everything the compiled code depends on. Constants as exact text: −0 apart from 0, NaN
 * apart from Infinity; a value that is not a number (an error to come) apart from any number.
 */
function cacheKey(text: string, spec: FormulaSpec): string {
  const num = (v: unknown) =>
    typeof v !== "number" ? `?${typeof v}:${String(v)}` : Object.is(v, -0) ? "-0" : String(v);
  const constants = Object.entries(spec.constants ?? {}).map(([k, v]) => [k, num(v)]);
  return JSON.stringify([text, spec.params, spec.variables, constants, spec.codegen !== false]);
}

function build(text: string, spec: FormulaSpec): CompiledFormula {
  const { scope, plan, value, partials } = planFormula(text, spec);
  const graph = plan.graph;
  const check = shapeCheck(scope.params, scope.variables);

  let mode: CompiledFormula["mode"] = "interpreter";
  let evaluate: CurveFunction["evaluate"] | null = null;
  if (spec.codegen !== false) {
    try {
      evaluate = generate(plan, check);
      mode = "codegen";
    } catch (e) {
      // A Content-Security-Policy without 'unsafe-eval' forbids new Function: interpret.
      if (!(e instanceof EvalError)) throw e;
    }
  }
  evaluate ??= interpret(plan, check);

  const params = Object.freeze([...scope.params]);
  const variables = Object.freeze([...scope.variables]);
  const show = (node: number): string => printNode(graph, node, params, variables);
  let derivatives: Readonly<Record<string, string>> | null = null;
  let simplified: string | null = null;
  return {
    text,
    params,
    variables,
    mode,
    evaluate,
    get simplified() {
      simplified ??= show(value);
      return simplified;
    },
    get derivatives() {
      derivatives ??= Object.freeze(
        Object.fromEntries(params.map((name, k) => [name, show(partials[k]!)])),
      );
      return derivatives;
    },
  };
}
