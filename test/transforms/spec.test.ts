import { describe, expect, it } from "vitest";
import { createLayout } from "../../src/core/layout.js";
import { parseWith } from "../../src/core/schema.js";
import { buildClip, buildTransform } from "../../src/transforms/build.js";
import {
  adaptiveClip,
  autoClip,
  clipByBlockRms,
  clipByGlobalNorm,
  clipByNorm,
  clipByValue,
  cosineDecay,
  warmup,
  zClip,
} from "../../src/transforms/index.js";
import { CLIP_KINDS, clipSpecSchema, transformSpecSchema } from "../../src/transforms/spec.js";
import {
  clipLabel,
  optimizerLabel,
  parseClipText,
  parseOptimizerText,
  parseScheduleText,
} from "../../src/transforms/spec-text.js";
import { stepper } from "../helpers/transforms.js";

describe("transform spec: text grammar", () => {
  it("every clip kind parses from KIND:T, builds the transform the kind names, and labels back", () => {
    const expected: Record<string, string> = {
      value: clipByValue({ max: 0.5 }).name,
      norm: clipByNorm({ maxNorm: 0.5 }).name,
      "global-norm": clipByGlobalNorm({ maxNorm: 0.5 }).name,
      "global-norm-inf": clipByGlobalNorm({ maxNorm: 0.5, norm: "linf" }).name,
      "block-rms": clipByBlockRms({ threshold: 0.5 }).name,
      agc: adaptiveClip({ clipping: 0.5 }).name,
      autoclip: autoClip({ percentile: 0.5 }).name,
      zclip: zClip({ zThreshold: 0.5 }).name,
    };
    expect(Object.keys(expected).sort()).toEqual([...CLIP_KINDS].sort());
    for (const kind of CLIP_KINDS) {
      const spec = parseClipText(`${kind}:0.5`);
      expect(spec).toEqual({ kind, threshold: 0.5 });
      expect(buildClip(spec)!.name).toBe(expected[kind]);
      expect(clipLabel(spec)).toBe(`${kind}:0.5`);
    }
    expect(parseClipText("none")).toEqual({ kind: "none" });
    expect(clipLabel({ kind: "none" })).toBe("none");
    expect(buildClip({ kind: "none" })).toBeNull();
  });

  it("clip options in kebab-case reach the transform", () => {
    const spec = parseClipText("zclip:2,warmup-steps=5,alpha=0.9,mode=mean,freeze-stats-on-spike");
    expect(spec).toEqual({
      kind: "zclip",
      threshold: 2,
      warmupSteps: 5,
      alpha: 0.9,
      mode: "mean",
      freezeStatsOnSpike: true,
    });
    expect(buildClip(spec)!.name).toBe("zClip(mean, z 2, alpha 0.9, cap 1)");
    expect(parseClipText("agc:0.01,axis=rows,eps=1e-4")).toEqual({
      kind: "agc",
      threshold: 0.01,
      axis: "rows",
      eps: 1e-4,
    });
  });

  it("optimizers with their settings, and labels that parse back to the same spec", () => {
    const cases = {
      "adam:0.01,b1=0.8": { name: "adam", lr: 0.01, b1: 0.8 },
      "sgd:0.1,momentum=0.9,nesterov": { name: "sgd", lr: 0.1, momentum: 0.9, nesterov: true },
      "adamw:0.001,weight-decay=0.05,eps=1e-6": {
        name: "adamw",
        lr: 0.001,
        weightDecay: 0.05,
        eps: 1e-6,
      },
    };
    for (const [text, spec] of Object.entries(cases)) {
      expect(parseOptimizerText(text)).toEqual(spec);
      expect(parseOptimizerText(optimizerLabel(parseOptimizerText(text)))).toEqual(spec);
    }
  });

  it("schedules; a decay factor above 1 is refused", () => {
    expect(parseScheduleText("cosine:1e-4")).toEqual({ kind: "cosine", minLr: 1e-4 });
    expect(parseScheduleText("step:100:0.5", 10)).toEqual({
      kind: "step",
      every: 100,
      gamma: 0.5,
      warmup: 10,
    });
    expect(parseScheduleText("constant")).toEqual({ kind: "constant" });
    expect(() => parseScheduleText("exp:2")).toThrow(
      '--schedule: gamma: expected a decay factor in (0, 1] (in "exp:2")',
    );
    expect(() => parseScheduleText("step:100:1.5")).toThrow(/--schedule: gamma: expected a decay/);
    expect(() => parseScheduleText("cosine:1:2")).toThrow(/--schedule: expected constant \|/);
  });

  const refused: [() => unknown, string | RegExp][] = [
    [() => parseClipText("magic:1"), /^--clip: unknown clip kind "magic" \(expected value:A \|/],
    [() => parseClipText("global-norm"), /^--clip: expected value:A \| .* got "global-norm"$/],
    [() => parseClipText("norm:abc"), '--clip: expected a number, got "abc"'],
    [
      () => parseClipText("autoclip:120"),
      /^--clip: threshold: expected a percentile in \[0, 100\]/,
    ],
    [
      () => parseClipText("norm:1,eps=2"),
      /^--clip: unknown norm setting "eps" \(in "norm:1,eps=2"/,
    ],
    [() => parseClipText("agc:0.1,axis=diagonal"), /^--clip: axis: /],
    [() => parseOptimizerText("rmsprop:0.1"), /^--optimizer: unknown optimizer "rmsprop"/],
    [() => parseOptimizerText("adam"), /^--optimizer: expected sgd:LR/],
    [
      () => parseOptimizerText("adam:0.01,momentum=0.9"),
      /^--optimizer: unknown adam setting "momentum"/,
    ],
    [() => parseOptimizerText("sgd:-1"), '--optimizer: lr: expected a number > 0 (in "sgd:-1")'],
    [() => parseOptimizerText("adam:0.1,b1=1"), /^--optimizer: b1: expected a number in \[0, 1\)/],
  ];
  for (const [run, message] of refused) {
    it(`refuses with a message naming the option: ${String(message).slice(0, 50)}`, () => {
      expect(run).toThrow(message);
    });
  }
});

describe("transform spec: JSON and the one builder", () => {
  it("builds each schema once, on first use (start-up does not pay for it)", () => {
    expect(transformSpecSchema()).toBe(transformSpecSchema());
    expect(transformSpecSchema().shape.clip.unwrap()).toBe(clipSpecSchema());
  });

  it("fills defaults (guard error, no clip) and names the JSON path of a bad field", () => {
    const spec = parseWith(transformSpecSchema(), { optimizer: { name: "sgd", lr: 0.1 } }, "req");
    expect(spec).toEqual({
      guard: "error",
      clip: { kind: "none" },
      optimizer: { name: "sgd", lr: 0.1 },
    });
    expect(() =>
      parseWith(
        transformSpecSchema(),
        { clip: { kind: "norm", threshold: "1" }, optimizer: { name: "sgd", lr: 0.1 } },
        "req",
      ),
    ).toThrow("req: clip.threshold: expected a finite number");
    expect(() =>
      parseWith(
        transformSpecSchema(),
        { guard: "ignore", optimizer: { name: "sgd", lr: 1 } },
        "req",
      ),
    ).toThrow('req: guard: expected "error", "skip" or "zero"');
    expect(() =>
      parseWith(
        transformSpecSchema(),
        { optimizer: { name: "sgd", lr: 1 }, schedule: { kind: "exp", gamma: 1.01 } },
        "req",
      ),
    ).toThrow("req: schedule.gamma: expected a decay factor in (0, 1]");
  });

  it("a schedule with warm-up gives the learning rates of warmup(cosineDecay) over the run", () => {
    const totalSteps = 40;
    const t = buildTransform(
      {
        optimizer: { name: "sgd", lr: 0.2 },
        schedule: { kind: "cosine", minLr: 0.01, warmup: 5 },
      },
      { totalSteps },
    );
    const reference = warmup({
      steps: 5,
      after: cosineDecay({ lr: 0.2, steps: totalSteps - 5, minLr: 0.01 }),
    });
    const s = stepper(t, createLayout([{ name: "w", shape: [1] }]));
    for (let k = 0; k < totalSteps + 3; k++) {
      s.step([1]);
      expect(s.ctx.lr).toBe(reference(k));
    }
  });

  it("a constant schedule without warm-up is the optimizer's plain rate", () => {
    const t = buildTransform(
      { optimizer: { name: "adam", lr: 0.01 }, schedule: { kind: "constant" } },
      { totalSteps: 10 },
    );
    expect(t.name).toBe("chain(guardNonFinite(error), adam(0.01))");
  });
});
