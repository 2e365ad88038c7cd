import {
  type DType,
  float32Products,
  float64Products,
  type MatrixProducts,
  residentFloat64Products,
} from "../kernels/gemm.js";
import { gemmBackend } from "../kernels/gemm-select.js";
import { productScratch } from "../kernels/gemm-wasm.js";
import { residentGemm } from "../kernels/gemm-wasm-instance.js";

/** The buffers a network's passes write (see network.ts for what each holds). */
export interface NetworkBuffers {
  readonly products: MatrixProducts;
  /** Whether the buffers are views on the memory of the network's own GEMM instance. */
  readonly resident: boolean;
  readonly input: Float64Array;
  readonly z: Float64Array[];
  readonly h: Float64Array[];
  readonly masks: Float64Array[];
  readonly a: Float64Array[];
  readonly out: Float64Array;
  readonly dOut: Float64Array;
  readonly delta: [Float64Array, Float64Array];
}

/**
 * Allocates a network's buffers once. With float64 products on the WebAssembly kernel they
 * are views on a memory of the network's own (gemm-wasm-instance.ts), so the matrix products
 * read the gathered batch, the activations and the backward deltas where they are and write
 * the pre-activations and deltas in place, without copies; rows are rounded up to a multiple
 * of 4 (the kernel's tile) so a full tile never runs past a buffer. That memory never grows,
 * so the views stay valid for the network's life. Otherwise (float32, the JS kernel, or no
 * memory to be had) they are plain Float64Arrays of maxBatch rows. The numbers are the same
 * either way; only the copies differ. Dropout masks are never operands: always plain arrays.
 */
export function networkBuffers(
  widths: readonly number[],
  dropout: number,
  maxBatch: number,
  dtype: DType,
): NetworkBuffers | null {
  const products = dtype === "float32" ? float32Products : float64Products;
  if (products === null) return null;
  const hidden = widths.slice(1, -1);
  const inputs = widths[0]!;
  const outputs = widths.at(-1)!;
  const widest = Math.max(0, ...hidden);
  const masks = hidden.map((w) => new Float64Array(dropout > 0 ? maxBatch * w : 0));
  if (dtype === "float64" && gemmBackend === "wasm-simd") {
    const rows = (maxBatch + 3) & ~3;
    const sizes = [inputs, ...hidden, ...hidden, ...(dropout > 0 ? hidden : [])];
    sizes.push(outputs, outputs, widest, widest);
    const arena = sizes.reduce((sum, w) => sum + rows * w, 0);
    let scratch = 0;
    for (let l = 0; l + 1 < widths.length; l++) {
      const [i, o] = [widths[l]!, widths[l + 1]!];
      scratch = Math.max(
        scratch,
        productScratch(rows, o, i),
        productScratch(i, o, rows),
        productScratch(rows, i, o),
      );
    }
    const inst = residentGemm(arena, scratch);
    if (inst !== null) {
      let at = 0;
      const take = (w: number) => {
        const view = new Float64Array(inst.exports.memory.buffer, at * 8, rows * w);
        at += rows * w;
        return view;
      };
      const input = take(inputs);
      const z = hidden.map(take);
      const h = hidden.map(take);
      const a = dropout > 0 ? hidden.map(take) : h;
      return {
        products: residentFloat64Products(inst),
        resident: true,
        input,
        z,
        h,
        masks,
        a,
        out: take(outputs),
        dOut: take(outputs),
        delta: [take(widest), take(widest)],
      };
    }
  }
  const buffer = (w: number) => new Float64Array(maxBatch * w);
  const h = hidden.map(buffer);
  return {
    products,
    resident: false,
    input: buffer(inputs),
    z: hidden.map(buffer),
    h,
    masks,
    a: dropout > 0 ? hidden.map(buffer) : h,
    out: buffer(outputs),
    dOut: buffer(outputs),
    delta: [buffer(widest), buffer(widest)],
  };
}
