import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import {
  float64Products,
  jsFloat64Products,
  type MatrixProducts,
} from "../../src/nn/kernels/gemm.js";
import { gemmBackend } from "../../src/nn/kernels/gemm-select.js";
import { activation } from "../../src/nn/layers/activations.js";
import { createNetwork, initNetwork, type Network } from "../../src/nn/models/network.js";
import { networkBuffers } from "../../src/nn/models/network-buffers.js";
import { networkBackward, networkForward } from "../../src/nn/models/network-pass.js";

/**
 * A float64 network on the WebAssembly kernel keeps its buffers in its own wasm memory and
 * multiplies them in place (network-buffers.ts). The same passes with plain Float64Arrays —
 * on the shared wasm instance (operands copied in and out) and on the scalar JS kernel — must
 * give the same bits: outputs, every buffer, and the accumulated gradient.
 */
function plainCopy(net: Network, products: MatrixProducts): Network {
  const copy = (b: Float64Array) => new Float64Array(b.length);
  const h = net.h.map(copy);
  return {
    ...net,
    products,
    input: copy(net.input),
    z: net.z.map(copy),
    h,
    masks: net.masks.map(copy),
    a: net.dropout > 0 ? net.a.map(copy) : h,
    out: copy(net.out),
    dOut: copy(net.dOut),
    delta: [copy(net.delta[0]), copy(net.delta[1])],
  };
}

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  expect(b.length, what).toBe(a.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/** Two forward/backward chunks (gradients accumulate) from a gathered input batch. */
function pass(net: Network, params: Float64Array, x: Float64Array, batch: number, seed: number) {
  const grad = new Float64Array(params.length);
  const outs: Float64Array[] = [];
  for (let chunk = 0; chunk < 2; chunk++) {
    const input = net.input;
    input.set(
      x.subarray(
        chunk * batch * net.layers[0]!.inputs,
        (chunk + 1) * batch * net.layers[0]!.inputs,
      ),
    );
    const rng = net.dropout > 0 ? createRng(seed + chunk) : null;
    const out = networkForward(net, params, input, 0, batch, rng);
    const width = net.layers.at(-1)!.outputs;
    for (let i = 0; i < batch * width; i++) net.dOut[i] = out[i]! - Math.sin(i);
    outs.push(out.slice(0, batch * width));
    networkBackward(net, params, input, 0, batch, grad);
  }
  return { grad, outs, z: net.z.map((b) => b.slice()) };
}

const cases = [
  { inputs: 20, hidden: [16, 8], outputs: 2, batch: 12, maxBatch: 12, dropout: 0, act: "relu" },
  { inputs: 33, hidden: [24], outputs: 4, batch: 9, maxBatch: 10, dropout: 0, act: "tanh" },
  { inputs: 7, hidden: [12, 5], outputs: 1, batch: 16, maxBatch: 17, dropout: 0.2, act: "gelu" },
  { inputs: 300, hidden: [64, 32], outputs: 1, batch: 40, maxBatch: 40, dropout: 0, act: "relu" },
] as const;

describe("network buffers resident in wasm memory", () => {
  it.runIf(gemmBackend === "wasm-simd")("are used for float64 networks on the wasm kernel", () => {
    expect(networkBuffers([5, 8, 1], 0, 10, "float64")!.resident).toBe(true);
    expect(networkBuffers([5, 8, 1], 0, 10, "float32")!.resident).toBe(false);
    const net = createNetwork({
      inputs: 5,
      hidden: [8],
      outputs: 1,
      activation: activation("relu"),
      dropout: 0,
      maxBatch: 10,
    });
    // Rows rounded up to the 4-row tile; every buffer a view on one memory.
    expect(net.z[0]!.length).toBe(12 * 8);
    expect(net.out.buffer).toBe(net.input.buffer);
  });

  for (const c of cases) {
    it(`give the same bits as plain buffers on both kernels: ${JSON.stringify(c)}`, () => {
      const net = createNetwork({
        inputs: c.inputs,
        hidden: c.hidden,
        outputs: c.outputs,
        activation: activation(c.act),
        dropout: c.dropout,
        maxBatch: c.maxBatch,
      });
      const params = new Float64Array(net.layout.size);
      initNetwork(net, params, createRng(11), { distribution: "uniform", scale: 1 });
      for (let i = 0; i < params.length; i++) params[i]! += 0.01 * Math.cos(i); // non-zero biases
      const rng = createRng(12);
      const x = Float64Array.from({ length: 2 * c.batch * c.inputs }, () => rng.normal());
      const resident = pass(net, params, x, c.batch, 3);
      for (const [name, products] of [
        ["shared wasm", float64Products],
        ["JS kernel", jsFloat64Products],
      ] as const) {
        const plain = pass(plainCopy(net, products), params, x, c.batch, 3);
        sameBits(resident.grad, plain.grad, `${name} grad`);
        resident.outs.forEach((o, k) => {
          sameBits(o, plain.outs[k]!, `${name} out ${k}`);
        });
        resident.z.forEach((z, l) => {
          const n = c.batch * c.hidden[l]!;
          sameBits(z.subarray(0, n), plain.z[l]!.subarray(0, n), `${name} z${l}`);
        });
      }
    });
  }
});
