/**
 * The one place that loads mathjs, whose `parse` reads formula text (precedence, `^` right
 * associative, `-x^2` = −(x²), `2^-1`, error positions). Nothing of mathjs is evaluated:
 * its node tree is converted to our own syntax tree at once (convert.ts).
 *
 * Loaded lazily, on the first formula: importing the ESM entry "mathjs" loads about a
 * thousand modules (2–3.5 s on the reference machine), which every command of the CLI would
 * pay; the package's single-file build (`mathjs/lib/browser/math.js`, an exported entry of
 * the same version) loads in about 0.3 s. A bundler for a browser build would swap this file
 * for a static `import { create, parseDependencies } from "mathjs"`.
 */
import { createRequire } from "node:module";
import type { MathNode } from "mathjs";

type MathJs = typeof import("mathjs");

let parser: ((text: string) => MathNode) | null = null;

/** mathjs's `parse` of one expression (throws mathjs's SyntaxError with `char`, 1-based). */
export function mathParse(text: string): MathNode {
  if (parser === null) {
    const math = createRequire(import.meta.url)("mathjs/lib/browser/math.js") as MathJs;
    parser = (t) => math.parse(t);
  }
  return parser(text);
}
