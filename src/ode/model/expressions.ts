/**
 * One expression of a model file → a node of the model's graph, through the formula
 * compiler's parser and allow-list. Problems become one line naming the file position of the
 * offending token and the YAML path:
 *   sir.yaml:4:22: equations.S: unknown name "Ix"; states are S, I, R (did you mean "I"?)
 */
import { InputError } from "../../core/errors.js";
import { jsonPathText } from "../../core/schema.js";
import { checkFormula, findProblems } from "../../formula/check.js";
import { FormulaError } from "../../formula/errors.js";
import type { Graph } from "../../formula/graph.js";
import { lower } from "../../formula/lower.js";
import { suggest } from "../../formula/names.js";
import { parseFormula } from "../../formula/parse.js";
import { firstUse, makeScope, type Scope } from "../../formula/spec.js";
import type { Slots } from "./slots.js";
import type { Path, SourceMap } from "./source-map.js";

export interface ExpressionContext {
  readonly graph: Graph;
  readonly slots: Slots;
  readonly scope: Scope;
  readonly map: SourceMap;
}

/** Names an expression of this kind may not use, with the reason shown. */
export type Forbidden = ReadonlyMap<string, string>;

export function expressionContext(graph: Graph, slots: Slots, map: SourceMap): ExpressionContext {
  const scope = makeScope({ params: slots.names, variables: [] }, parseFormula("0"), "0");
  return { graph, slots, scope, map };
}

export function lowerExpression(
  ctx: ExpressionContext,
  value: string | number,
  path: Path,
  forbidden: Forbidden = new Map(),
): number {
  if (typeof value === "number") return ctx.graph.num(value);
  const fail = (offset: number, message: string): never => {
    throw new InputError(`${ctx.map.where(path, offset)}: ${jsonPathText(path)}: ${message}`);
  };
  let tree: ReturnType<typeof parseFormula>;
  try {
    tree = parseFormula(value);
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    const offset = e.line === 1 && e.column !== null ? e.column - 1 : 0;
    return fail(offset, e.problem + (e.hint === null ? "" : ` (${e.hint})`));
  }
  const problems = findProblems(tree, ctx.scope, value).sort((a, b) => a.at - b.at);
  const first = problems[0];
  if (first !== undefined) {
    const unknown = /^unknown name "(.*)"$/.exec(first.problem);
    const message =
      unknown !== null
        ? unknownName(unknown[1]!, ctx.slots, forbidden)
        : first.problem + (first.hint === null ? "" : ` (${first.hint})`);
    return fail(first.at, message);
  }
  for (const [name, reason] of forbidden) {
    const at = firstUse(tree, name);
    if (at !== undefined) fail(at, reason.replace("%s", name));
  }
  return lower(ctx.graph, checkFormula(tree, ctx.scope, value));
}

function unknownName(name: string, slots: Slots, forbidden: Forbidden): string {
  const lists: [string, readonly string[]][] = [
    ["states are", slots.states],
    ["parameters are", slots.params],
    ["constants are", slots.constants],
  ];
  const allowed = lists
    .map(([w, names]) => [w, names.filter((s) => !forbidden.has(s))] as const)
    .filter(([, names]) => names.length > 0);
  const said = allowed.map(([w, names]) => `${w} ${names.join(", ")}`).join("; ");
  const near = suggest(name, [...allowed.flatMap(([, names]) => names), "t"]);
  const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
  return `unknown name "${name}"${said === "" ? "" : `; ${said}`}${hint}`;
}
