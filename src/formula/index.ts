export { checkFormula, findProblems, type Problem } from "./check.js";
export { assertGeneratedSource, generateSource, numberLiteral } from "./codegen.js";
export {
  type CompiledFormula,
  compileFormula,
  type FormulaPlan,
  planFormula,
} from "./compile.js";
export { MAX_DEPTH } from "./convert.js";
export { derivative } from "./derive.js";
export { FormulaError, lineColumn } from "./errors.js";
export type { Expr } from "./expr.js";
export { BUILTIN_CONSTANTS, FUNCTIONS, type FunctionName } from "./functions.js";
export { Graph } from "./graph.js";
export { interpret } from "./interpret.js";
export { lower } from "./lower.js";
export { editDistance, suggest } from "./names.js";
export { MATH, type Op } from "./ops.js";
export { MAX_LENGTH, parseFormula } from "./parse.js";
export { makePlan, type Plan } from "./plan.js";
export { printNode } from "./print.js";
export { binary, ifle, unary } from "./simplify.js";
export { type Binding, type FormulaSpec, makeScope, type Scope } from "./spec.js";
export type { SyntaxNode } from "./syntax.js";
