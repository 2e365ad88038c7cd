import { numberSlot, writeAscii, writeNumberSlot } from "./number-bytes.js";

/**
 * CSV text built in one reused byte buffer as UTF-8: numbers are written as ASCII digits in
 * place (number-bytes.ts, String(v)'s text), ASCII text is copied, other text encoded, and
 * the buffer is handed out once per call of `takeBytes` (or `take`, as a string) — instead of
 * a string per field and a concatenation per line. A grouped fit's lines go from a worker to
 * the output file as these bytes, never as a string (which cost an encoding, a decoding and
 * full collections for the megabytes of text). The result is the UTF-8 of the concatenation
 * of the fields' `String` forms (a lone surrogate, which has none, as U+FFFD: what writing the
 * string to a UTF-8 file gives).
 */
export class CsvText {
  private bytes = new Uint8Array(1 << 16);
  private at = 0;
  private static readonly encoder = new TextEncoder();
  // ignoreBOM: a text field that starts with U+FEFF keeps it (the default strips it).
  private static readonly decoder = new TextDecoder("utf-8", { ignoreBOM: true });

  /** A number (String(v)); null or undefined: an empty field. */
  number(v: number | null | undefined): void {
    if (v === null || v === undefined) return;
    this.room(32);
    numberSlot[0] = v;
    this.at = writeNumberSlot(this.bytes, this.at);
  }

  /**
   * numberSlot[0] (number-bytes.ts) when it is finite, else an empty field: `number(finite(v))`
   * of a double the caller stored there. Stored, not handed over: a double passed to a call
   * that is not inlined is boxed, a heap number per field (≈ 290 bytes of garbage per grouped
   * fit's CSV line).
   */
  slotNumber(): void {
    if (!Number.isFinite(numberSlot[0]!)) return;
    this.room(32);
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
      this.unicode(quote ? `"${s.replace(/"/g, '""')}"` : s);
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

  /** Everything written since the last take, as a copy of its UTF-8 bytes; the buffer is reused. */
  takeBytes(): Uint8Array {
    const bytes = this.bytes.slice(0, this.at);
    this.at = 0;
    return bytes;
  }

  /** Everything written since the last take, as one string; the buffer is reused. */
  take(): string {
    const text = CsvText.decoder.decode(this.bytes.subarray(0, this.at));
    this.at = 0;
    return text;
  }

  /** Text with a character beyond ASCII, encoded (at most 3 bytes a UTF-16 unit). */
  private unicode(s: string): void {
    this.room(3 * s.length);
    this.at += CsvText.encoder.encodeInto(s, this.bytes.subarray(this.at)).written;
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
