import { describe, expect, it } from "vitest";
import { budgetCut, parseBudget } from "../../src/sweep/budget.js";
import { parseGrid, parseSeeds } from "../../src/sweep/grid.js";
import type { RunSpec } from "../../src/sweep/spec.js";
import { clipLabel, parseClipText } from "../../src/transforms/spec-text.js";

const labels = (text: Parameters<typeof parseGrid>[0]) => parseGrid(text).clips.map(clipLabel);
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
};

describe("grid expansion", () => {
  it("--clip lists settings; the baseline none is added first when missing", () => {
    const g = parseGrid({ clip: "value:0.01,global-norm:1", lr: "0.1", seeds: "2" });
    expect(g.clips.map(clipLabel)).toEqual(["none", "value:0.01", "global-norm:1"]);
    expect(g.baselineAdded).toBe(true);
    expect(g.lrs).toEqual([0.1]);
    expect(g.seeds).toEqual([0, 1]);
  });

  it("a listed none moves to the front and is not added twice", () => {
    const g = parseGrid({ clip: "value:1,none,norm:2", lr: "0.1", seeds: "1" });
    expect(g.clips.map(clipLabel)).toEqual(["none", "value:1", "norm:2"]);
    expect(g.baselineAdded).toBe(false);
  });

  it("--clip-kinds × --thresholds expands kind-major; defaults without either", () => {
    expect(
      labels({ clipKinds: "value,global-norm", thresholds: "0.1,1", lr: "0.1", seeds: "1" }),
    ).toEqual(["none", "value:0.1", "value:1", "global-norm:0.1", "global-norm:1"]);
    expect(labels({ lr: "0.1", seeds: "1" })).toEqual([
      "none",
      "value:0.01",
      "value:0.1",
      "value:1",
      "value:10",
      "global-norm:0.01",
      "global-norm:0.1",
      "global-norm:1",
      "global-norm:10",
    ]);
    expect(labels({ clipKinds: "global-norm-inf", thresholds: "2", lr: "1", seeds: "1" })).toEqual([
      "none",
      "global-norm-inf:2",
    ]);
  });

  it("seeds: a count, a list, ranges", () => {
    expect(parseSeeds("3")).toEqual([0, 1, 2]);
    expect(parseSeeds("7,11")).toEqual([7, 11]);
    expect(parseSeeds("10-12,20")).toEqual([10, 11, 12, 20]);
    expect(parseSeeds("5-5")).toEqual([5]);
  });
});

describe("grid validation: clear messages", () => {
  const bad = (text: Partial<Parameters<typeof parseGrid>[0]>) =>
    errorOf(() => parseGrid({ lr: "0.1", seeds: "3", ...text }));

  it("rejects negative, zero and non-numeric thresholds", () => {
    expect(bad({ clip: "value:-1" })).toMatchInlineSnapshot(
      `"--clip: threshold: expected a number > 0 (in "value:-1")"`,
    );
    expect(bad({ clip: "global-norm:0" })).toMatchInlineSnapshot(
      `"--clip: threshold: expected a number > 0 (in "global-norm:0")"`,
    );
    expect(bad({ clip: "value:abc" })).toMatchInlineSnapshot(
      `"--clip: expected a number, got "abc""`,
    );
    expect(bad({ clipKinds: "value", thresholds: "1,-0.5" })).toMatchInlineSnapshot(
      `"--thresholds: threshold must be a number > 0, got -0.5"`,
    );
    expect(bad({ clip: "value" })).toMatchInlineSnapshot(
      `"--clip: "value" needs a threshold (value:T, e.g. value:0.1)"`,
    );
    expect(bad({ clip: "none:1,value:1" })).toMatchInlineSnapshot(
      `"--clip: "none" takes no threshold or settings, got "none:1""`,
    );
  });

  it("rejects unknown kinds", () => {
    expect(bad({ clip: "none,vale:0.1" })).toMatchInlineSnapshot(
      `"--clip: unknown clip kind "vale" in "vale:0.1" (expected value:A | norm:C | global-norm:C | global-norm-inf:C | block-rms:C | agc:LAMBDA | autoclip:P | zclip:Z | none)"`,
    );
    expect(bad({ clipKinds: "value,l2", thresholds: "1" })).toMatchInlineSnapshot(
      `"--clip-kinds: unknown clip kind "l2" (expected none, value, norm, global-norm, global-norm-inf, block-rms, agc, autoclip, zclip)"`,
    );
  });

  it("rejects empty grids and empty entries", () => {
    expect(bad({ clip: "" })).toMatchInlineSnapshot(
      `"--clip: empty grid (expected a comma-separated list such as none,value:0.1,global-norm:1)"`,
    );
    expect(bad({ clip: "value:1,,norm:1" })).toMatchInlineSnapshot(
      `"--clip: empty entry in "value:1,,norm:1" (separate entries by single commas)"`,
    );
    expect(bad({ lr: " " })).toMatchInlineSnapshot(
      `"--lr: empty grid (expected a comma-separated list such as 0.001,0.01,0.1)"`,
    );
    expect(bad({ clip: "none" })).toMatchInlineSnapshot(
      `"--clip: the grid holds only the unclipped baseline "none"; add clip settings such as value:0.1,global-norm:1"`,
    );
    expect(bad({ clipKinds: "none" })).toMatch(/only the unclipped baseline/);
  });

  it("rejects duplicate entries, numerically", () => {
    expect(bad({ clip: "value:0.1,global-norm:1,value:1e-1" })).toMatchInlineSnapshot(
      `"--clip: "value:1e-1" is listed twice (as "value:0.1")"`,
    );
    expect(bad({ clip: "none,none,value:1" })).toMatchInlineSnapshot(
      `"--clip: "none" is listed twice"`,
    );
    expect(bad({ clipKinds: "value,value" })).toMatchInlineSnapshot(
      `"--clip-kinds: "value" is listed twice"`,
    );
    expect(bad({ clipKinds: "value", thresholds: "1,1.0" })).toMatchInlineSnapshot(
      `"--thresholds: 1 is listed twice (in "1,1.0")"`,
    );
    expect(bad({ lr: "0.01,0.010" })).toMatchInlineSnapshot(
      `"--lr: 0.01 is listed twice (in "0.01,0.010")"`,
    );
    expect(bad({ seeds: "1,2,1" })).toMatchInlineSnapshot(
      `"--seeds: seed 1 is listed twice (in "1,2,1")"`,
    );
  });

  it("rejects bad learning rates, seeds and option combinations", () => {
    expect(bad({ lr: "0.1,0" })).toMatchInlineSnapshot(
      `"--lr: learning rate must be a number > 0, got 0"`,
    );
    expect(bad({ seeds: "0" })).toMatchInlineSnapshot(
      `"--seeds: the count must be 1…10000, got 0"`,
    );
    expect(bad({ seeds: "a,b" })).toMatchInlineSnapshot(
      `"--seeds: expected a count N (seeds 0…N-1) or a list of seeds such as 1,5,9 or 0-4, got "a,b""`,
    );
    expect(bad({ clip: "value:1", clipKinds: "value" })).toMatchInlineSnapshot(
      `"--clip and --clip-kinds: give one of them (--clip lists settings; --clip-kinds × --thresholds expands to their product)"`,
    );
    expect(bad({ clip: "value:1", thresholds: "1" })).toMatchInlineSnapshot(
      `"--thresholds: goes with --clip-kinds, not with --clip"`,
    );
  });
});

describe("every clip kind of the transform spec, in the train grammar", () => {
  it("--clip lists any kind with its settings; labels show the settings and parse back", () => {
    const g = parseGrid({
      clip: "agc:0.01,eps=1e-4,axis=rows,autoclip:10,include-current,zclip:2.5,warmup-steps=10,block-rms:1",
      lr: "0.1",
      seeds: "1",
    });
    expect(g.clips).toEqual([
      { kind: "none" },
      { kind: "agc", threshold: 0.01, eps: 1e-4, axis: "rows" },
      { kind: "autoclip", threshold: 10, includeCurrent: true },
      { kind: "zclip", threshold: 2.5, warmupSteps: 10 },
      { kind: "block-rms", threshold: 1 },
    ]);
    expect(g.clips.map(clipLabel)).toEqual([
      "none",
      "agc:0.01,eps=0.0001,axis=rows",
      "autoclip:10,include-current",
      "zclip:2.5,warmup-steps=10",
      "block-rms:1",
    ]);
    for (const clip of g.clips) expect(parseClipText(clipLabel(clip))).toEqual(clip);
  });

  it("--clip-kinds takes settings too, crossed with --thresholds kind-major", () => {
    expect(
      labels({
        clipKinds: "zclip,warmup-steps=5,mode=mean,autoclip",
        thresholds: "2,3",
        lr: "0.1",
        seeds: "1",
      }),
    ).toEqual([
      "none",
      "zclip:2,warmup-steps=5,mode=mean",
      "zclip:3,warmup-steps=5,mode=mean",
      "autoclip:2",
      "autoclip:3",
    ]);
  });

  it("one kind with different settings makes different settings; the same spec twice is refused", () => {
    expect(labels({ clip: "zclip:2,zclip:2,alpha=0.9", lr: "0.1", seeds: "1" })).toEqual([
      "none",
      "zclip:2",
      "zclip:2,alpha=0.9",
    ]);
    expect(
      errorOf(() =>
        parseGrid({ clip: "agc:0.01,eps=1e-3,agc:1e-2,eps=0.001", lr: "1", seeds: "1" }),
      ),
    ).toBe('--clip: "agc:1e-2,eps=0.001" is listed twice (as "agc:0.01,eps=1e-3")');
  });

  it("settings and thresholds are checked by the spec grammar, naming the option", () => {
    const bad = (text: Partial<Parameters<typeof parseGrid>[0]>) =>
      errorOf(() => parseGrid({ lr: "0.1", seeds: "1", ...text }));
    expect(bad({ clip: "autoclip:150" })).toBe(
      '--clip: threshold: expected a percentile in [0, 100] (in "autoclip:150")',
    );
    expect(bad({ clip: "zclip:2,warmup=3" })).toMatch(
      /^--clip: unknown zclip setting "warmup" \(in "zclip:2,warmup=3"; expected /,
    );
    expect(bad({ clipKinds: "zclip,alpha=2", thresholds: "1" })).toBe(
      '--clip-kinds: alpha: expected a number in [0, 1) (in "zclip:1,alpha=2")',
    );
    expect(bad({ clip: "value:1,vale" })).toMatch(/^--clip: unknown clip kind "vale" in "vale"/);
  });
});

describe("budget", () => {
  it("parses runs:N, epochs:N and a bare N (runs)", () => {
    expect(parseBudget("runs:40")).toEqual({ unit: "runs", limit: 40 });
    expect(parseBudget("epochs:1e5")).toEqual({ unit: "epochs", limit: 100000 });
    expect(parseBudget("12")).toEqual({ unit: "runs", limit: 12 });
    expect(errorOf(() => parseBudget("runs:0"))).toMatchInlineSnapshot(
      `"--budget: expected runs:N, epochs:N or N (runs), N an integer >= 1, got "runs:0""`,
    );
    expect(() => parseBudget("time:5")).toThrow(/--budget/);
  });

  it("keeps the longest prefix of the plan that fits", () => {
    const spec = (epochs: number) => ({ task: "sweep-cell", run: { epochs } }) as RunSpec;
    const plan = [spec(100), spec(100), spec(300), spec(100)];
    expect(budgetCut(plan, null)).toBe(4);
    expect(budgetCut(plan, { unit: "runs", limit: 3 })).toBe(3);
    expect(budgetCut(plan, { unit: "runs", limit: 10 })).toBe(4);
    expect(budgetCut(plan, { unit: "epochs", limit: 499 })).toBe(2);
    expect(budgetCut(plan, { unit: "epochs", limit: 500 })).toBe(3);
  });
});
