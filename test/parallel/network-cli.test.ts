import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// `biograd train` of a network with --workers: the worker threads run the compiled modules
// (dist/), so `npx tsc -p tsconfig.build.json` first (npm test does).

const DIABETES = new URL("../../examples/diabetes.csv", import.meta.url).pathname;
const args = [
  DIABETES,
  "--y",
  "progression",
  "--model",
  "mlp:16:relu",
  "--epochs",
  "5",
  "--batch-size",
  "64",
  "--seed",
  "3",
  "--format",
  "json",
];

describe("biograd train --workers with a network", () => {
  it("splits each mini-batch over 2 threads: the run of 1 thread to 1e-12 relative", async () => {
    const one = await cli("train", ...args);
    const two = await cli("train", ...args, "--workers", "2");
    expect(one.code, one.err.join("\n")).toBe(0);
    expect(two.code, two.err.join("\n")).toBe(0);
    const a = JSON.parse(one.out.join("\n"));
    const b = JSON.parse(two.out.join("\n"));
    expect(b.settings.workers).toBe(2);
    expect(b.steps).toBe(a.steps);
    for (let e = 0; e < a.history.loss.length; e++) {
      expect(Math.abs(b.history.loss[e] - a.history.loss[e]) / a.history.loss[e]).toBeLessThan(
        1e-12,
      );
    }
    expect(Math.abs(b.finalLoss - a.finalLoss) / a.finalLoss).toBeLessThan(1e-12);
  });

  it.each([
    ["0", 'biograd: --workers: expected an integer >= 1, got "0"'],
    ["1.5", 'biograd: --workers: expected an integer >= 1, got "1.5"'],
    ["two", 'biograd: --workers: expected a number, got "two"'],
  ])("refuses --workers %s in one line", async (value, message) => {
    const r = await cli("train", ...args, "--workers", value);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    const lines = r.err.filter((l) => l !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(message);
  });

  it("refuses a bad workers field of a train-network request with its JSON path", async () => {
    const { runTrainNetwork } = await import("../../src/tasks/train-network.js");
    const request = {
      task: "train-network",
      data: { file: DIABETES },
      y: "progression",
      model: "mlp:4",
      epochs: 1,
      transform: { optimizer: { name: "adam", lr: 0.01 } },
      workers: 0,
    };
    expect(() => runTrainNetwork(request)).toThrow("request: workers: expected an integer >= 1");
  });
});
