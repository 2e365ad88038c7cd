import { packedMap } from "./packed-map.js";

/**
 * `na` tokens matched on a field's bytes: the tokens as the readers use them (trimmed), each
 * as its UTF-8 bytes, so a field equals a token exactly when its bytes do (no string made per
 * field).
 */
export class NaMatch {
  readonly tokens: Uint8Array[];
  /** Lengths of the tokens, to rule most fields out at once. */
  private readonly lengths: Int32Array;

  constructor(tokens: readonly string[]) {
    const unique = [...new Set(tokens.map((t) => t.trim()))];
    this.tokens = packedMap(unique, (t) => new Uint8Array(Buffer.from(t, "utf8")));
    this.lengths = Int32Array.from(this.tokens, (t) => t.length);
  }

  /**
   * Whether byte equality is text equality for these tokens: not for a token with U+FFFD or a
   * lone surrogate, which invalid UTF-8 in a field (decoded as U+FFFD) could equal as text.
   */
  get exact(): boolean {
    return this.tokens.every((t) => {
      const text = Buffer.from(t).toString("utf8");
      return !text.includes("\uFFFD") && Buffer.from(text, "utf8").equals(t);
    });
  }

  get empty(): boolean {
    // The lengths' typed array, not the tokens' array: an empty array's map is not always the
    // same one (its allocation site's kind moves on), and the readers' loops inline this.
    return this.lengths.length === 0;
  }

  /** Whether b[from, to) is one of the tokens. */
  has(b: Uint8Array, from: number, to: number): boolean {
    const n = to - from;
    for (let t = 0; t < this.lengths.length; t++) {
      if (this.lengths[t] !== n) continue;
      const token = this.tokens[t]!;
      let k = 0;
      while (k < n && token[k] === b[from + k]) k++;
      if (k === n) return true;
    }
    return false;
  }
}
