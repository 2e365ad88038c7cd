import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/rng.js";
import { linearModel } from "../../src/models/linear.js";
import { openHistoryStream } from "../../src/train/history-stream.js";
import { train } from "../../src/train/trainer.js";
import { sgd } from "../../src/transforms/optimizers.js";

function model(n = 20) {
  const rng = createRng(4);
  const x = Float64Array.from({ length: n }, () => rng.uniform());
  const y = Float64Array.from(x, (v) => 1 + 2 * v + 0.1 * rng.normal());
  return linearModel({ features: ["x"], target: "y", rows: n, x, y, source: "t" });
}

describe("bounded, evenly thinned history", () => {
  it("keeps epoch 0, every k-th epoch and the last epochs, at most limit + tail records", () => {
    const r = train(model(), {
      transform: sgd({ lr: 0.01 }),
      epochs: 10_007,
      historyLimit: 50,
      historyTail: 10,
    });
    expect(r.epochs).toBe(10_007);
    expect(r.epochsRecorded).toBe(r.history.length);
    expect(r.history.length).toBeLessThanOrEqual(60);
    expect(r.historyStride).toBe(256); // 10007 epochs in < 50 records of a power-of-two spacing
    const epochs = r.history.map((h) => h.epoch);
    expect(epochs[0]).toBe(0);
    expect(epochs.slice(-10)).toEqual(Array.from({ length: 10 }, (_, i) => 9997 + i));
    for (const e of epochs.slice(0, -10)) expect(e % r.historyStride).toBe(0);
    expect(new Set(epochs).size).toBe(epochs.length);
  });

  it("streams every epoch to a JSON-lines file", () => {
    const path = join(mkdtempSync(join(tmpdir(), "biograd-h-")), "h.jsonl");
    const stream = openHistoryStream(path);
    const r = train(model(), {
      transform: sgd({ lr: 0.01 }),
      epochs: 5000,
      historyLimit: 10,
      onEpoch: stream.onEpoch,
    });
    stream.close();
    const lines = readFileSync(path, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5000);
    expect(lines.map((l) => l.epoch)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(lines[4999].loss).toBe(r.history.at(-1)!.loss);
    expect(lines[0].lr).toBe(0.01);
  });

  const dist = join(process.cwd(), "dist", "train", "trainer.js");
  it.skipIf(!existsSync(dist))(
    "2,000,000 full-batch epochs of the linear model stay under 300 MB peak RSS (child process)",
    () => {
      const script = `
        import { train } from "./dist/train/trainer.js";
        import { linearModel } from "./dist/models/linear.js";
        import { sgd } from "./dist/transforms/optimizers.js";
        const x = Float64Array.from({ length: 20 }, (_, i) => i / 20);
        const y = Float64Array.from(x, (v) => 1 + 2 * v);
        const m = linearModel({ features: ["x"], target: "y", rows: 20, x, y, source: "t" });
        const r = train(m, { transform: sgd({ lr: 0.01 }), epochs: 2000000 });
        console.log(JSON.stringify({ rssKb: process.resourceUsage().maxRSS, epochs: r.epochs,
          recorded: r.epochsRecorded, stride: r.historyStride, ms: r.timings.totalMs }));
      `;
      const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: process.cwd(),
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(child.stderr).toBe("");
      const out = JSON.parse(child.stdout);
      expect(out.epochs).toBe(2_000_000);
      expect(out.recorded).toBeLessThanOrEqual(4196);
      expect(out.stride).toBe(512);
      expect(out.rssKb / 1024).toBeLessThan(300);
    },
    60_000,
  );
});
