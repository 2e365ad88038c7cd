import { describe, expect, it } from "vitest";
import { formatMlpSpec, parseMlpSpec } from "../../src/nn/models/spec.js";

describe("mlp spec strings", () => {
  it("parse hidden sizes and the activation (default relu)", () => {
    expect(parseMlpSpec("mlp:64,32:relu")).toEqual({ hidden: [64, 32], activation: "relu" });
    expect(parseMlpSpec("mlp:16:tanh")).toEqual({ hidden: [16], activation: "tanh" });
    expect(parseMlpSpec(" mlp: 8 , 4 :leaky-relu ")).toEqual({
      hidden: [8, 4],
      activation: "leaky-relu",
    });
    expect(parseMlpSpec("mlp:8")).toEqual({ hidden: [8], activation: "relu" });
    expect(parseMlpSpec("mlp")).toEqual({ hidden: [], activation: "relu" });
    expect(parseMlpSpec("mlp:")).toEqual({ hidden: [], activation: "relu" });
  });

  it("format back to the canonical string", () => {
    expect(formatMlpSpec(parseMlpSpec("mlp: 64,32")).toString()).toBe("mlp:64,32:relu");
    expect(formatMlpSpec(parseMlpSpec("mlp"))).toBe("mlp");
  });

  it("say what is wrong and what is expected", () => {
    expect(() => parseMlpSpec("mlp:64,x:relu")).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: mlp spec "mlp:64,x:relu": hidden size "x" must be an integer >= 1 (expected mlp:<sizes>[:<activation>], e.g. "mlp:64,32:relu")]`,
    );
    expect(() => parseMlpSpec("mlp:64:swish")).toThrowErrorMatchingInlineSnapshot(
      `[BiogradError: mlp spec "mlp:64:swish": unknown activation "swish" (one of relu, leaky-relu, tanh, sigmoid, gelu, softplus, identity) (expected mlp:<sizes>[:<activation>], e.g. "mlp:64,32:relu")]`,
    );
    expect(() => parseMlpSpec("cnn:3")).toThrow(/starts with "cnn", not "mlp"/);
    expect(() => parseMlpSpec("mlp:0")).toThrow(/hidden size "0" must be an integer >= 1/);
    expect(() => parseMlpSpec("mlp:4,:relu")).toThrow(/hidden size "" must be/);
    expect(() => parseMlpSpec("mlp:1.5")).toThrow(/hidden size "1.5"/);
    expect(() => parseMlpSpec("mlp:4:relu:x")).toThrow(/too many/);
    expect(() => parseMlpSpec("mlp::tanh")).toThrow(
      /an activation needs at least one hidden layer/,
    );
  });
});
