import { describe, expect, it } from "vitest";
import { bufferRows } from "../../../src/nls/many/buffer-rows.js";

// The buffer size must stay what `2 ** Math.ceil(Math.log2(Math.max(rows, 16)))` gave (the
// fitters and reports are made and cached by it): checked against that formula itself.
describe("bufferRows", () => {
  const old = (rows: number) => 2 ** Math.ceil(Math.log2(Math.max(rows, 16)));

  it("is the next power of two of at least 16, as the log2 formula gave", () => {
    const rows: number[] = [];
    for (let r = 0; r <= 5000; r++) rows.push(r);
    for (let e = 5; e <= 33; e++) for (let s = -2; s <= 2; s++) rows.push(2 ** e + s);
    for (const r of rows) expect(bufferRows(r), `rows ${r}`).toBe(old(r));
    expect(bufferRows(17)).toBe(32);
    expect(bufferRows(1024)).toBe(1024);
    expect(bufferRows(1025)).toBe(2048);
  });
});
