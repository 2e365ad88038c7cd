import { numberSlot, writeAscii, writeNumberSlot } from "./number-bytes.js";

/**
 * CSV text built in one reused byte buffer: numbers are written as ASCII digits in place
 * (number-bytes.ts, String(v)'s text), ASCII text is copied, and the buffer becomes a string
 * once per call of `take` — instead of a string per field and a concatenation per line.
 * Text with a character beyond ASCII is appended as the string itself (no encoding round
 * trip), so the result equals the concatenation of the fields' `String` forms exactly.
 */
export class CsvText {
  private bytes = new Uint8Array(1 << 16);
  private at = 0;
  private done = "";
  private static readonly decoder = new TextDecoder("latin1");

  /** A number (String(v)); null or undefined: an empty field. */
  number(v: number | null | undefined): void {
    if (v === null || v === undefined) return;
    this.room(32);
    numberSlot[0] = v;
    this.at = writeNumberSlot(this.bytes, this.at);
  }

  /** One ASCII character by its code (a separator, a newline). */
  char(code: number): void {
    this.room(1);
    this.bytes[this.at++] = code;
  }

  /** ASCII text as is (booleans, fixed words). */
  ascii(text: string): void {
    this.room(text.length);
    this.at = writeAscii(text, this.bytes, this.at);
  }

  /**
   * A text field: quoted (with doubled quotes) when it holds `"`, `,`, a line break or
   * leading or trailing white space (what `String.prototype.trim` removes), else as is.
   */
  text(s: string): void {
    let quote = false;
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 34 || c === 44 || c === 10 || c === 13) quote = true;
      else if (c >= 128) ascii = false;
    }
    if (!quote && s.length > 0 && (edge(s.charCodeAt(0)) || edge(s.charCodeAt(s.length - 1)))) {
      quote = s !== s.trim();
    }
    if (!ascii) {
      this.flush();
      this.done += quote ? `"${s.replace(/"/g, '""')}"` : s;
      return;
    }
    this.room(2 * s.length + 2);
    const out = this.bytes;
    let o = this.at;
    if (quote) out[o++] = 34;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      out[o++] = c;
      if (quote && c === 34) out[o++] = 34;
    }
    if (quote) out[o++] = 34;
    this.at = o;
  }

  /** Everything written since the last `take`, as one string; the buffer is reused. */
  take(): string {
    this.flush();
    const text = this.done;
    this.done = "";
    return text;
  }

  private flush(): void {
    if (this.at === 0) return;
    this.done += CsvText.decoder.decode(this.bytes.subarray(0, this.at));
    this.at = 0;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.at + bytes));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
  }
}

/** A first or last character that `trim` might remove (white space is ≤ 32 or ≥ 128). */
function edge(code: number): boolean {
  return code <= 32 || code >= 128;
}
