import { describe, expect, it } from "vitest";
import { monotonicMs } from "../../src/core/monotonic-ms.js";

describe("monotonicMs", () => {
  it("never goes back and measures a wait in milliseconds", async () => {
    const t0 = monotonicMs();
    await new Promise((resume) => setTimeout(resume, 25));
    const t1 = monotonicMs();
    expect(t1).toBeGreaterThanOrEqual(t0);
    // A timer may fire a little early on some platforms; an hour would mean the wrong unit.
    expect(t1 - t0).toBeGreaterThan(15);
    expect(t1 - t0).toBeLessThan(60_000);
  });
});
