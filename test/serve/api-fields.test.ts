import { describe, expect, it } from "vitest";
import { fieldOf } from "../../src/serve/http-error.js";

describe("biograd serve: which form field a message is about", () => {
  const request = { x: ["conc"], y: "rate", group: ["plate"], weights: "w" };
  it.each([
    ["request: y: expected a string, received number", "y"],
    ["request: transform.clip.threshold: expected a finite number", "clip"],
    ["request: transform.optimizer.lr: expected a number > 0", "optimizer"],
    ["request: data.upload: no upload in this session", "file"],
    ['formula:1:10: unknown name "Kx" (parameters: Vm, K)', "formula"],
    ['model: unknown model "michaelis" (did you mean "michaelis-menten"?)', "model"],
    ["start: no start value for Vm, K", "start"],
    ['fix: "Kq" is not a parameter of the model', "fix"],
    ['--share: "Kq" is not a parameter of the model', "share"],
    ["--thresholds: expected numbers > 0", "grid"],
    ['p.csv:1: no column "rate" (columns: a, b)', "y"],
    ['p.csv:1: no column "conc" (columns: a, b)', "x"],
    ['p.csv:1: no column "plate" (columns: a, b)', "group"],
    ['p.csv:1: no column "w" (columns: a, b)', "weights"],
    ['p.csv:7:2: column "rate": expected a number, got "x"', "file"],
    ["something else entirely", null],
  ])("%s → %s", (message, field) => {
    expect(fieldOf(message, request)).toBe(field);
  });
});
