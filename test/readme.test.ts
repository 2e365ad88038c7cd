import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { adam, chain, clipByGlobalNorm, linearModel, train } from "../src/index.js";

describe("README", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

  it("the library example does what the README says", () => {
    // Keep in step with the ```ts block in README.md.
    expect(readme).toContain(
      "transform: chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 0.05 })),",
    );
    const data = {
      features: ["x"],
      target: "y",
      rows: 4,
      source: "inline",
      x: Float64Array.of(0, 1, 2, 3),
      y: Float64Array.of(1, 3, 5, 7),
    };
    const result = train(linearModel(data), {
      transform: chain(clipByGlobalNorm({ maxNorm: 1 }), adam({ lr: 0.05 })),
      epochs: 5000,
      lossThreshold: 1e-12,
    });
    expect(result.stopReason).toBe("loss-threshold");
    const { w, b } = result.named as { w: number[]; b: number };
    expect(w[0]).toBeCloseTo(2, 5);
    expect(b).toBeCloseTo(1, 5);
  });

  it("names the two set-up commands that package.json provides", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(readme).toContain("npm install && npm run demo");
    expect(readme).toContain("npm test");
    expect(pkg.scripts.demo).toBe("node dist/cli/main.js demo");
  });
});
