import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import type { EpochRecord } from "../../src/train/history.js";
import { HistoryBuffer } from "../../src/train/history-buffer.js";

/** Records as text that tells −0 from 0 and keeps NaN and ±Infinity (bit-level comparison). */
function exact(records: readonly EpochRecord[]): string {
  return JSON.stringify(records, (_k, v: unknown) =>
    typeof v === "number" ? (Object.is(v, -0) ? "-0" : String(v)) : v,
  );
}

/**
 * Records whose usually constant fields (the clip's outcome; lr, threshold, counts,
 * validation loss, which optional fields are present) change at `change`, one kind per case:
 * a history that stores such fields once while they stay constant must still give them back
 * exactly (a compaction tried and measured slower, kept here for the next attempt).
 */
function recordAt(epoch: number, change: number, kind: string, rng: ReturnType<typeof createRng>) {
  const late = epoch >= change;
  const r: EpochRecord = {
    epoch,
    loss: rng.normal(),
    gradNorm: rng.uniform(),
    clippedNorm: kind === "clippedNorm" && late ? rng.uniform() : Math.SQRT1_2,
    clipFraction: kind === "clipFraction" && late ? (epoch % 4) / 4 : 1,
    lr: kind === "lr" && late ? 0.01 * 0.5 ** (epoch - change + 1) : kind === "-0" && late ? -0 : 0,
    threshold: kind === "threshold" && late ? 0.1 : Number.NaN,
    skippedSteps: kind === "skipped" && epoch === change ? 1 : 0,
    zeroedEntries: kind === "zeroed" && late ? epoch % 3 : 0,
  };
  if (kind !== "tensors" || late) {
    r.tensorNorms = { w: rng.uniform(), b: rng.uniform() };
    r.tensorNormsAfter = { w: 0.1, b: kind === "after" && late ? rng.uniform() : 0.1 };
  }
  if (kind === "validation" && late) r.validationLoss = epoch === change ? Number.NaN : -0;
  if (kind === "metrics" && late) r.metrics = { accuracy: rng.uniform() };
  return r;
}

describe("history fields that change late in a run come back exactly", () => {
  const kinds = [
    "none",
    "clippedNorm",
    "clipFraction",
    "after",
    "lr",
    "-0",
    "threshold",
    "skipped",
    "zeroed",
    "validation",
    "tensors",
  ];
  for (const kind of [...kinds, "metrics"]) {
    for (const [limit, tail, epochs, change] of [
      [4096, 100, 300, 0],
      [4096, 100, 300, 1],
      [4096, 100, 300, 250],
      [16, 5, 200, 3], // changes before the first thinning
      [16, 5, 200, 150], // after it: the tail ring and the samples change apart
      [8, 20, 120, 30], // the first thinning copies rows of a changed store into a new one
    ] as const) {
      it(`${kind} changing at epoch ${change} (limit ${limit}, tail ${tail})`, () => {
        const rng = createRng(change + limit);
        const limits = { historyLimit: limit, historyTail: tail };
        const history = new HistoryBuffer(limits, ["w", "b"]);
        const all: EpochRecord[] = [];
        for (let e = 0; e < epochs; e++) {
          const r = recordAt(e, change, kind, rng);
          all.push(structuredClone(r));
          history.add(r);
          if (e === change + 7) {
            // A checkpoint's contents read back into a new buffer give the same records.
            const again = new HistoryBuffer(limits, ["w", "b"], history.contents());
            expect(exact(again.records())).toBe(exact(history.records()));
          }
        }
        // Every kept record is exactly the one added for its epoch, all fields and bits.
        const kept = history.records();
        expect(kept.length).toBe(history.length);
        expect(exact(kept)).toBe(exact(kept.map((r) => all[r.epoch]!)));
        expect(kept.at(-1)!.epoch).toBe(epochs - 1);
        const { sampled, tail: last } = history.contents();
        expect(exact(sampled)).toBe(exact(sampled.map((r) => all[r.epoch]!)));
        expect(exact(last)).toBe(exact(all.slice(-Math.min(tail, epochs))));
        // The detector's reads (the last epochs' norms) come from the same rows.
        expect(history.recentNorm(0)).toBe(all.at(-1)!.gradNorm);
        expect(history.recentClipFraction(1)).toBe(all.at(-2)!.clipFraction);
      });
    }
  }
});
