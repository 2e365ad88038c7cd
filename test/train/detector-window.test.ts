import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import { createDetector } from "../../src/train/diagnostics.js";
import type { EpochRecord } from "../../src/train/history.js";
import { HistoryBuffer } from "../../src/train/history-buffer.js";

// The detector reads its window from the trainer's history instead of copying every epoch
// into rings of its own (gradient-detector.ts `readWindowFrom`). Fed the same epochs, a
// detector with its own rings and one reading the history must raise the same warnings at
// the same epochs and report the same state, also after the history has thinned and its
// tail ring has wrapped around.

const layout = createLayout([
  { name: "w", shape: [2] },
  { name: "b", shape: [] },
  { name: "v", shape: [3] },
]);
const names = layout.entries.map((e) => e.name);

/** Epoch e of a run: steady wobbling norms (a NaN now and then), a surge from `surgeAt`. */
function epochAt(e: number, surgeAt: number) {
  const base = e < surgeAt ? 1 + 0.5 * Math.sin(e) : 2.5 ** (e - surgeAt + 1);
  const norm = e % 17 === 5 ? Number.NaN : base;
  const tensors = Float64Array.of(base * 0.6, base * 0.1 * ((e % 5) + 1), base * 0.7);
  return { norm, tensors, clipFraction: (e % 4) / 4, loss: e > surgeAt + 12 ? Infinity : 2 };
}

function record(e: number, norm: number, clipFraction: number, loss: number): EpochRecord {
  return {
    epoch: e,
    loss,
    gradNorm: norm,
    clippedNorm: norm,
    clipFraction,
    lr: 0.1,
    threshold: 1,
    skippedSteps: 0,
    zeroedEntries: 0,
  };
}

function both(window: number, limits: { historyLimit: number; historyTail: number }) {
  const settings = { window, explodeFactor: 50 };
  const own = createDetector(layout, settings);
  const reading = createDetector(layout, settings);
  const history = new HistoryBuffer(limits, names, undefined, 0, true);
  return { own, reading, history, switched: reading.readWindowFrom(history) };
}

describe("the gradient detector reading its window from the history", () => {
  for (const [window, limit, tail, surgeAt] of [
    [10, 16, 12, 170], // thinned several times, the tail ring wrapped many times
    [10, 4096, 100, 60], // never thinned: the window is read from the sampled rows
    [7, 5, 7, 40], // tail exactly the window, limit below it
  ] as const) {
    it(`raises the same warnings and keeps the same state (window ${window}, limit ${limit}, tail ${tail})`, () => {
      const { own, reading, history, switched } = both(window, {
        historyLimit: limit,
        historyTail: tail,
      });
      expect(switched).toBe(true);
      const after = new Float64Array(3);
      const warned: number[] = [];
      for (let e = 0; e < surgeAt + 20; e++) {
        const { norm, tensors, clipFraction, loss } = epochAt(e, surgeAt);
        const a = own.observe(e, loss, norm, clipFraction, 1, tensors);
        const b = reading.observe(e, loss, norm, clipFraction, 1, tensors);
        expect(b).toEqual(a);
        if (a) warned.push(a.epoch);
        history.add(record(e, norm, clipFraction, loss), tensors, after);
        if (e % 9 === 0 || a) expect(reading.state).toEqual(own.state);
      }
      // (The surge warns once, naming the tensors; the infinite loss warns once.)
      expect(warned.length).toBe(2);
      expect(warned[0]).toBeGreaterThanOrEqual(surgeAt);
      expect(reading.state.recent).toHaveLength(window);
    });
  }

  it("keeps rings of its own when the history's tail is shorter than the window", () => {
    const { switched } = both(10, { historyLimit: 8, historyTail: 9 });
    expect(switched).toBe(false);
  });

  it("keeps rings of its own once it has seen an epoch (a resumed state)", () => {
    const d = createDetector(layout, { window: 3 });
    d.observe(0, 1, 1, 0, 1, Float64Array.of(1, 1, 1));
    const history = new HistoryBuffer({}, names, undefined, 0, true);
    expect(d.readWindowFrom(history)).toBe(false);
  });
});
