/**
 * A cursor over formula text that finds the tokens of an already parsed tree in source
 * order. mathjs nodes carry no positions; convert.ts walks the tree in the order its tokens
 * appear and asks the cursor where each one is. The text parsed without error, so each token
 * is normally right at the cursor after whitespace and comments; if not (a mismatch between
 * this walk and mathjs's grammar), the cursor searches forward, so positions stay in order.
 */

const WHITESPACE = /[\s\u200b]/;

/** Literals as mathjs reads them: strings, then numbers (hex/binary/octal, decimals). */
export const STRING_LITERAL = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/y;
export const NUMBER_LITERAL =
  /0[xX][0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?(?:i\d+)?|0[bB][01]+(?:\.[01]*)?(?:i\d+)?|0[oO][0-7]+(?:\.[0-7]*)?(?:i\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
export const WORD = /[\p{L}_$][\p{L}\p{N}_$]*/uy;

export class Cursor {
  readonly text: string;
  pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  /** Skips whitespace (newlines too) and `#` comments. */
  skip(newlines = true): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (c === "#") {
        while (this.pos < t.length && t[this.pos] !== "\n") this.pos++;
      } else if (WHITESPACE.test(c) && (newlines || c !== "\n")) {
        this.pos++;
      } else {
        return;
      }
    }
  }

  /** Where `token` starts (after whitespace); moves past it. */
  expect(token: string): number {
    this.skip();
    let at = this.pos;
    if (!this.text.startsWith(token, at)) {
      const found = this.text.indexOf(token, at);
      if (found < 0) return at;
      at = found;
    }
    this.pos = at + token.length;
    return at;
  }

  /** The text matched by a sticky pattern at the cursor (after whitespace), moving past it. */
  match(pattern: RegExp): { at: number; token: string } {
    this.skip();
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    const at = this.pos;
    if (m === null || m.index !== at) return { at, token: "" };
    this.pos = at + m[0].length;
    return { at, token: m[0] };
  }

  /**
   * At an opening bracket: moves past its matching closing bracket (string literals skipped),
   * returning where the opening bracket is.
   */
  skipBalanced(open: string, close: string): number {
    const at = this.expect(open);
    let depth = 1;
    const t = this.text;
    while (this.pos < t.length && depth > 0) {
      const c = t[this.pos]!;
      if (c === '"' || c === "'") {
        STRING_LITERAL.lastIndex = this.pos;
        const m = STRING_LITERAL.exec(t);
        this.pos += m !== null && m.index === this.pos ? m[0].length : 1;
        continue;
      }
      if (c === open) depth++;
      else if (c === close) depth--;
      this.pos++;
    }
    return at;
  }
}
