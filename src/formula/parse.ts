/**
 * Formula text → syntax tree with positions. fast-parse.ts reads the common subset; mathjs's
 * parser (mathjs.ts) reads the rest: its syntax errors become FormulaErrors at their place;
 * its tree becomes ours (convert.ts).
 * Nothing is evaluated here, and nothing the text says is looked up anywhere.
 */
import { convert, MAX_DEPTH } from "./convert.js";
import { Cursor } from "./cursor.js";
import { errorAt, FormulaError } from "./errors.js";
import { fastParse } from "./fast-parse.js";
import { mathParse } from "./mathjs.js";
import { restoreNames, unquoteNames } from "./quoted-names.js";
import type { SyntaxNode } from "./syntax.js";

/** Longest formula accepted, in UTF-16 code units. */
export const MAX_LENGTH = 10_000;

export function parseFormula(text: string): SyntaxNode {
  if (text.length > MAX_LENGTH) {
    throw errorAt(text, MAX_LENGTH, "the formula is too long", `at most ${MAX_LENGTH} characters`);
  }
  // mathjs rejects "\r"; a space in its place keeps every offset (Windows line ends work).
  // Quoted names become placeholders of the same length (quoted-names.ts).
  const unquoted = unquoteNames(text.replace(/\r/g, " "));
  const source = unquoted.text;
  const blank = new Cursor(source);
  blank.skip();
  if (blank.pos === source.length) throw errorAt(text, 0, "the formula is empty");
  // The common subset needs no mathjs (fast-parse.ts); everything else, errors included, does.
  const fast = fastParse(source);
  if (fast !== null) return restoreNames(fast, unquoted.names);
  let node: ReturnType<typeof mathParse>;
  try {
    node = mathParse(source);
  } catch (e) {
    throw asFormulaError(text, e);
  }
  return restoreNames(convert(node, source), unquoted.names);
}

/** mathjs's "Value expected (char 4)" → `formula:1:4: value expected`. */
function asFormulaError(text: string, e: unknown): unknown {
  if (e instanceof RangeError) {
    // mathjs's recursive descent ran out of stack: nesting far beyond MAX_DEPTH.
    return errorAt(text, 0, "the formula nests too deeply", `at most ${MAX_DEPTH} levels`);
  }
  if (!(e instanceof SyntaxError)) return e;
  const char = (e as SyntaxError & { char?: unknown }).char;
  // One line: mathjs quotes the offending part of the text, line breaks included.
  const problem = e.message.replace(/\s*\(char \d+\)\s*$/, "").replace(/\r?\n|\r/g, "\\n");
  const lower = problem.charAt(0).toLowerCase() + problem.slice(1);
  if (typeof char !== "number") return new FormulaError(null, null, lower, null);
  const offset = char - 1;
  const hint = text.slice(offset - 1, offset + 1) === "**" ? "use ^ for powers" : null;
  return errorAt(text, offset, lower, hint);
}
