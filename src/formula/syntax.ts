/**
 * The syntax tree of a formula as written, with source positions: what parse.ts makes of
 * mathjs's node tree. Offsets are 0-based UTF-16 indices into the formula's text; `start`
 * and `end` delimit a node's source (end exclusive). Everything outside the allowed language
 * is kept as an `other` node so that check.ts can reject it with its position.
 */

interface Located {
  start: number;
  end: number;
}

export interface NumberSyntax extends Located {
  kind: "number";
  value: number;
}

export interface NameSyntax extends Located {
  kind: "name";
  name: string;
}

export interface CallSyntax extends Located {
  kind: "call";
  /** A `name` for an ordinary call; anything else (e.g. `a.b(1)`) is rejected by check. */
  callee: SyntaxNode;
  args: SyntaxNode[];
}

export interface UnarySyntax extends Located {
  kind: "unary";
  /** mathjs's operator text: "-", "+", "not", "~", or postfix "!" and "'". */
  op: string;
  /** Offset of the operator. */
  at: number;
  arg: SyntaxNode;
}

export interface BinarySyntax extends Located {
  kind: "binary";
  /** mathjs's operator text ("+", "^", "<", "mod", ".*", …). */
  op: string;
  /** Offset of the operator; for implicit multiplication, of the right operand. */
  at: number;
  /** `2x`, `x y`, `(a)(b)`: multiplication without a `*`. */
  implicit: boolean;
  left: SyntaxNode;
  right: SyntaxNode;
}

export interface ParenSyntax extends Located {
  kind: "paren";
  body: SyntaxNode;
}

/** Constructs of mathjs's language that formulas do not allow. */
export type Construct =
  | "member"
  | "index"
  | "assignment"
  | "function-definition"
  | "string"
  | "literal"
  | "array"
  | "object"
  | "range"
  | "conditional"
  | "comparison"
  | "percent"
  | "several-expressions";

export interface OtherSyntax extends Located {
  kind: "other";
  construct: Construct;
  /** Offset of the token that makes it this construct ("." for member access, "=" …). */
  at: number;
  /** The source of the offending token or literal (e.g. `"abc"`, `true`, `;`). */
  token: string;
  /** Sub-expressions that come before `at` in the text (so their errors come first). */
  before: SyntaxNode[];
}

export type SyntaxNode =
  | NumberSyntax
  | NameSyntax
  | CallSyntax
  | UnarySyntax
  | BinarySyntax
  | ParenSyntax
  | OtherSyntax;
