import { GEMM_F64X2_WASM } from "./gemm-wasm-bytes.js";

/**
 * Instances of the float64 GEMM module (gemm-wasm.ts runs the products). There are two kinds:
 *
 * - the shared instance, for products on ordinary Float64Arrays: its memory is scratch only
 *   (packed operands, C, copies of the operands), grown on demand and kept;
 * - a resident instance per network (network.ts): its memory holds the network's own buffers
 *   (activations, pre-activations, backward deltas, the gathered input batch) at the start —
 *   the "arena", handed out as Float64Array views — then a scratch area sized once for the
 *   network's largest product. Its memory never grows after creation, because growing would
 *   detach those views; a product that would need more scratch than reserved runs on the JS
 *   kernel instead (same bits). Operands and C that live in the arena are used where they
 *   are, without copies.
 *
 * The module is compiled once; instances are cheap. Memories are freed with their network
 * by the garbage collector. Each worker thread compiles its own.
 */
export interface GemmExports {
  memory: WebAssembly.Memory;
  panelProduct(
    pa: number,
    pb: number,
    kc: number,
    panels: number,
    strips: number,
    c: number,
    ldc: number,
  ): void;
  packStrips(src: number, ld: number, kc: number, groups: number, dst: number): void;
  packRows4(src: number, ld: number, kc: number, groups: number, dst: number): void;
}

export interface GemmInstance {
  readonly exports: GemmExports;
  /** A view of the whole memory (re-made when the shared memory grows). */
  heap: Float64Array;
  /** First double of the scratch area. */
  readonly scratch: number;
  /** Whether a call may grow the memory (shared) or must fit (resident). */
  readonly growable: boolean;
}

const WASM_PAGE = 65536;

/** The compiled module, or null when this runtime has no WebAssembly SIMD. */
function compile(): WebAssembly.Module | null {
  if (typeof WebAssembly !== "object") return null;
  try {
    const bytes = Buffer.from(GEMM_F64X2_WASM, "base64");
    return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}

const module = compile();

function instantiate(): GemmExports {
  return new WebAssembly.Instance(module!, {}).exports as unknown as GemmExports;
}

function makeShared(): GemmInstance | null {
  if (module === null) return null;
  try {
    const exports = instantiate();
    return { exports, heap: new Float64Array(exports.memory.buffer), scratch: 0, growable: true };
  } catch {
    return null;
  }
}

/** The shared instance, or null without WebAssembly SIMD (then the JS kernel runs). */
export const sharedGemm: GemmInstance | null = makeShared();

/**
 * The heap of `inst` with at least `doubles` entries, growing the shared memory if needed;
 * null when a resident instance lacks the room (its caller falls back to the JS kernel).
 */
export function heapWith(inst: GemmInstance, doubles: number): Float64Array | null {
  const memory = inst.exports.memory;
  const bytes = doubles * 8;
  if (bytes > memory.buffer.byteLength) {
    if (!inst.growable) return null;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE));
  }
  if (inst.heap.buffer !== memory.buffer) inst.heap = new Float64Array(memory.buffer);
  return inst.heap;
}

/**
 * A resident instance with `arena` doubles of buffers and `scratch` doubles of scratch, its
 * memory sized once. Null without WebAssembly SIMD or when the memory cannot be had.
 */
export function residentGemm(arena: number, scratch: number): GemmInstance | null {
  if (module === null) return null;
  try {
    const exports = instantiate();
    const start = Math.ceil(arena / 2) * 2; // scratch 16-byte aligned, as the packed panels
    const bytes = (start + scratch) * 8;
    const have = exports.memory.buffer.byteLength;
    if (bytes > have) exports.memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
    const heap = new Float64Array(exports.memory.buffer);
    return { exports, heap, scratch: start, growable: false };
  } catch {
    return null;
  }
}
