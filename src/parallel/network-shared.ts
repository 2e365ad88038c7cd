import type { RowRange } from "../core/model.js";
import type { NetworkBuild } from "./network-build.js";

/**
 * The memory a network split over threads shares (every buffer on a SharedArrayBuffer), posted
 * once to each worker thread at start. The calling thread writes θ and the batch's row order,
 * bumps the generation; part t writes its mean loss into `losses[t]` and its gradient into
 * `slots[t·P .. (t+1)·P)` (part 0, computed on the calling thread, writes into the caller's
 * own gradient buffer and leaves its slot unused).
 */
export interface NetworkShared {
  build: NetworkBuild;
  features: readonly string[];
  rows: number;
  x: Float64Array;
  y: Float64Array;
  params: Float64Array;
  /** The batch's rows, in order, when the trainer shuffled them (else unused). */
  order: Uint32Array;
  /** parts × P gradient values. */
  slots: Float64Array;
  losses: Float64Array;
  parts: number;
  control: Int32Array;
  /** A failed part's error message (UTF-8, zero-terminated). */
  message: Uint8Array;
}

/** Control words (an Int32Array on a SharedArrayBuffer). */
export const CONTROL = {
  /** Bumped by every run() and by close(); workers wait for it to change. */
  generation: 0,
  /** Parts finished by workers in this generation. */
  done: 1,
  /** 1 once close() asked the workers to leave their loop. */
  closing: 2,
  /** 1 if a worker's part threw (its message is in `message`). */
  failed: 3,
  /** Workers that built their network and entered their loop. */
  started: 4,
  /** Workers that exited while the pool was open (crash, process.exit, failed start). */
  exited: 5,
  exitCode: 6,
  /** The job: rows start..end, of `order` (hasOrder 1) or of the data (0). */
  start: 7,
  end: 8,
  hasOrder: 9,
  /** The dropout seed (as uint32 bits) and how often it was set (reseedDropout). */
  seed: 10,
  reseeds: 11,
  words: 12,
} as const;

/**
 * Part `part` of the job's rows: start + ⌊part·n/parts⌋ .. start + ⌊(part+1)·n/parts⌋
 * (contiguous, in the job's order, sizes differing by at most one).
 */
export function partRange(part: number, shared: NetworkShared): RowRange {
  const c = shared.control;
  const start = Atomics.load(c, CONTROL.start);
  const count = Atomics.load(c, CONTROL.end) - start;
  return {
    order: Atomics.load(c, CONTROL.hasOrder) === 1 ? shared.order : null,
    start: start + Math.floor((part * count) / shared.parts),
    end: start + Math.floor(((part + 1) * count) / shared.parts),
  };
}

/** Writes a failed part's message (truncated to the buffer) for the calling thread. */
export function writeMessage(shared: NetworkShared, text: string): void {
  const bytes = new TextEncoder().encode(text).subarray(0, shared.message.length - 1);
  shared.message.set(bytes);
  shared.message[bytes.length] = 0;
}

export function readMessage(shared: NetworkShared): string {
  const end = shared.message.indexOf(0);
  // TextDecoder refuses views on shared memory: decode a private copy.
  return new TextDecoder().decode(shared.message.slice(0, end < 0 ? undefined : end));
}
