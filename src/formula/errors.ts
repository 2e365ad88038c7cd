import { InputError } from "../core/errors.js";

/**
 * A formula that cannot be compiled. The message starts with where — `formula:LINE:COLUMN:`
 * (1-based, columns count UTF-16 code units) — and ends with a hint in parentheses when
 * there is one:
 *   formula:1:9: unknown name "km" (parameters: Vm, K; variables: x; did you mean "K"?)
 * A problem with the spec rather than the text (a name declared twice, a reserved name that
 * the formula never uses) has `line` and `column` null and starts with `formula:`.
 */
export class FormulaError extends InputError {
  readonly line: number | null;
  readonly column: number | null;
  /** What the message says after the problem, in parentheses; null when nothing more is said. */
  readonly hint: string | null;
  /** What went wrong, without the place and the hint. */
  readonly problem: string;
  constructor(line: number | null, column: number | null, problem: string, hint: string | null) {
    const where = line === null || column === null ? "formula" : `formula:${line}:${column}`;
    super(`${where}: ${problem}${hint === null ? "" : ` (${hint})`}`);
    this.name = "FormulaError";
    this.line = line;
    this.column = column;
    this.problem = problem;
    this.hint = hint;
  }
}

/** 1-based line and column of a 0-based offset into `text` (lines end at "\n"). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

/** A FormulaError at an offset into the formula's text. */
export function errorAt(
  text: string,
  offset: number,
  problem: string,
  hint: string | null = null,
): FormulaError {
  const { line, column } = lineColumn(text, offset);
  return new FormulaError(line, column, problem, hint);
}
