import { describe, expect, it } from "vitest";
import { tempTag } from "../../src/io/temp-tag.js";

describe("tempTag", () => {
  it("is eight hex digits, and differs between calls", () => {
    const tags = Array.from({ length: 1000 }, tempTag);
    for (const t of tags) expect(t).toMatch(/^[0-9a-f]{8}$/);
    // 1000 draws of 32 bits: a repeat has odds of about 1e-4.
    expect(new Set(tags).size).toBeGreaterThan(998);
    // Leading zeros are kept (the width is fixed): some tag starts with 0 in 1000 draws.
    expect(tags.some((t) => t.startsWith("0"))).toBe(true);
  });
});
