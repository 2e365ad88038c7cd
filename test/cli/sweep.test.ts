import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  illConditioned,
  spawnSweep,
  sweepCli,
  tempDir,
  writeIllConditioned,
} from "../sweep/helpers.js";

const ill = ["train", illConditioned, "--x", "x1,x2", "--y", "y"];

interface SweepDoc {
  runs: {
    key: string;
    setting: string;
    seed: number;
    baseline: boolean;
    diverged: string | null;
    finalLoss: number | null;
    timeMs: number;
    spec: { task: string; run: { task: string } };
  }[];
  skipped: { key: string; setting: string; seed: number }[];
  table: { rank: number; setting: string; baseline: boolean; diverged: number; runs: number }[];
  recommendation: {
    found: boolean;
    kind: string | null;
    lr: number | null;
    thresholds: [number, number] | null;
    settings: string[];
    bestLoss: number;
    within: number;
    baseline: { lr: number; runs: number; diverged: number }[];
    text: string[];
  };
}

const readDoc = (path: string) => JSON.parse(readFileSync(path, "utf8")) as SweepDoc;
const withoutTime = (doc: SweepDoc) => doc.runs.map(({ timeMs: _, ...r }) => r);

describe("sweep: bad grids and options exit 2 with one clear line, before any run", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "negative threshold",
      ["--clip", "value:-1"],
      /--clip: threshold: expected a number > 0 \(in "value:-1"\)/,
    ],
    [
      "zero threshold",
      ["--clip-kinds", "value", "--thresholds", "0,1"],
      /--thresholds: threshold must be a number > 0, got 0/,
    ],
    ["unknown kind", ["--clip", "none,magic:1"], /--clip: unknown clip kind "magic" in "magic:1"/],
    ["empty grid", ["--clip", ""], /--clip: empty grid/],
    ["baseline only", ["--clip", "none"], /only the unclipped baseline/],
    [
      "duplicate entries",
      ["--clip", "value:1,value:1.0"],
      /--clip: "value:1.0" is listed twice \(as "value:1"\)/,
    ],
    ["duplicate rates", ["--lr", "0.1,0.1"], /--lr: 0.1 is listed twice/],
    ["unknown optimizer", ["--optimizer", "rmsprop"], /--optimizer: unknown optimizer "rmsprop"/],
    [
      "bad optimizer setting",
      ["--optimizer", "sgd,momentum=2"],
      /--optimizer: momentum: expected a number in \[0, 1\) \(in "sgd:0.001,momentum=2"\)/,
    ],
    [
      "rate given twice",
      ["--optimizer", "sgd:0.1", "--lr", "0.1"],
      /--optimizer: give the learning rates with --lr/,
    ],
    [
      "bad --out",
      ["--out", "results.txt"],
      /--out: expected a file name ending in \.json or \.csv, got "results\.txt"/,
    ],
    ["bad budget", ["--budget", "lots"], /--budget: expected runs:N, epochs:N or N/],
    ["bad workers", ["--workers", "-1"], /--workers: expected an integer >= 0, got "-1"/],
    ["missing column", ["--x", "x1,x9"], /ill-conditioned\.csv:1: no column "x9"/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await sweepCli(...ill, ...args);
      expect(r.code).toBe(2);
      const lines = r.err.filter((l) => l !== "");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.out.filter((l) => l !== "")).toEqual([]);
    });
  }
});

it("a run that fails in its worker stops the sweep: exit 2, naming the run", async () => {
  const dir = tempDir();
  const file = join(dir, "constant.csv");
  writeFileSync(file, "conc,rate\n1,2\n1,3\n1,4\n");
  const r = await sweepCli(
    "fit",
    file,
    "--model",
    "Vm*conc/(K+conc)",
    "--start",
    "Vm=1,K=1",
    "--x",
    "conc",
    "--y",
    "rate",
    "--clip",
    "value:1",
    "--lr",
    "0.1",
    "--seeds",
    "1",
    "--workers",
    "1",
  );
  expect(r.code).toBe(2);
  expect(r.out[2]).toMatch(/= 2 runs;/);
  expect(r.err.filter((l) => l !== "")).toEqual([
    'biograd: run none lr=0.1 seed 0: fit: every value of "conc" is 1; the curve cannot be fitted when conc does not vary',
  ]);
});

describe("sweep train: where clipping matters", () => {
  // Features on scales 1 and 10: plain SGD is stable only below lr ≈ 0.01.
  const grid = [
    "--clip",
    "value:0.01,value:0.1,value:1,global-norm:0.1,global-norm:1,global-norm:10",
    "--lr",
    "0.03,0.1",
    "--optimizer",
    "sgd",
    "--epochs",
    "2000",
    "--seeds",
    "3",
  ];

  it("the baseline diverges at the larger rates; the recommended clipped range converges", async () => {
    const out = join(tempDir(), "results.json");
    const r = await sweepCli(...ill, ...grid, "--workers", "2", "--out", out);
    expect(r.code).toBe(0);
    const text = r.out.join("\n");
    expect(text).toMatch(
      /7 clips \(baseline "none" added\) × 2 learning rates × 3 seeds = 42 runs/,
    );
    expect(text).toMatch(/none lr=0\.1 \(baseline\)\s+3\s+3\/3 non-finite\s+non-finite/);
    expect(text).toMatch(/^recommendation: clip value with threshold in \[0\.1, 1\] at lr=0\.1$/m);
    expect(text).toMatch(/^baseline \(no clip\) at lr=0\.1: 3\/3 runs diverged \(3 non-finite\)/m);

    const doc = readDoc(out);
    expect(doc.runs).toHaveLength(42);
    // The baseline: every run at both larger rates diverged.
    const baseline = doc.runs.filter((run) => run.baseline);
    expect(baseline).toHaveLength(6);
    expect(baseline.every((run) => run.diverged !== null)).toBe(true);
    // The recommendation: every run of the recommended settings converged, near the best loss.
    const rec = doc.recommendation;
    expect(rec.found).toBe(true);
    expect(rec.kind).toBe("value");
    expect(rec.lr).toBe(0.1);
    expect(rec.baseline).toEqual([expect.objectContaining({ lr: 0.1, runs: 3, diverged: 3 })]);
    const chosen = doc.runs.filter((run) => rec.settings.includes(run.setting));
    expect(chosen.length).toBe(3 * rec.settings.length);
    for (const run of chosen) {
      expect(run.diverged).toBeNull();
      expect(run.finalLoss!).toBeLessThanOrEqual(rec.within * rec.bestLoss);
    }
    // The noise floor of the data is ≈ 1 (unit-variance noise): converged means near it.
    expect(rec.bestLoss).toBeGreaterThan(0.9);
    expect(rec.bestLoss).toBeLessThan(1.1);
    // The table ranks every setting; the baseline rows are marked.
    expect(doc.table).toHaveLength(14);
    expect(doc.table.filter((row) => row.baseline).map((row) => row.setting)).toEqual([
      "none lr=0.03",
      "none lr=0.1",
    ]);
    expect(doc.table.at(-1)!.baseline).toBe(true);
  });

  it("writes one CSV row per run, in grid order, and the same results from any worker count", async () => {
    const dir = tempDir();
    await sweepCli(...ill, ...grid, "--workers", "0", "--out", join(dir, "a.csv"));
    await sweepCli(...ill, ...grid, "--workers", "2", "--out", join(dir, "b.csv"));
    const rows = (name: string) =>
      readFileSync(join(dir, name), "utf8")
        .trimEnd()
        .split("\n")
        .map((line) => line.split(",").slice(0, -1)); // all but timeMs
    const a = rows("a.csv");
    expect(a[0]).toEqual([
      "key",
      "setting",
      "clip",
      "threshold",
      "lr",
      "seed",
      "baseline",
      "diverged",
      "initialLoss",
      "finalLoss",
      "bestLoss",
      "lastLoss",
      "epochs",
      "stopReason",
      "epochsToThreshold",
      "clipFraction",
      "nonFiniteGradient",
    ]);
    expect(a).toHaveLength(43);
    expect(a[1]!.slice(1, 6)).toEqual(["none lr=0.03", "none", "", "0.03", "0"]);
    expect(rows("b.csv")).toEqual(a);
  });

  it("--budget cuts the plan seed by seed, deterministically, and says so", async () => {
    const dir = tempDir();
    const r = await sweepCli(
      ...ill,
      ...grid,
      "--budget",
      "runs:20",
      "--workers",
      "0",
      "--out",
      join(dir, "a.json"),
    );
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toMatch(
      /budget runs:20: 20 of 42 runs; skipped 22 \(seed 1: 8 settings; seed 2: 14 settings\)/,
    );
    const doc = readDoc(join(dir, "a.json"));
    expect(doc.runs).toHaveLength(20);
    expect(doc.skipped).toHaveLength(22);
    // Every setting has its seed 0; the first 6 settings (grid order) also their seed 1.
    expect(doc.runs.filter((run) => run.seed === 0)).toHaveLength(14);
    expect(doc.runs.filter((run) => run.seed === 1).map((run) => run.setting)).toEqual([
      "none lr=0.03",
      "none lr=0.1",
      "value:0.01 lr=0.03",
      "value:0.01 lr=0.1",
      "value:0.1 lr=0.03",
      "value:0.1 lr=0.1",
    ]);
    expect(doc.skipped[0]).toMatchObject({ seed: 1 });
    // epochs:N counts each run's planned epochs: 2000 per run here.
    const e = await sweepCli(...ill, ...grid, "--budget", "epochs:39999", "--workers", "0");
    expect(e.out.join("\n")).toMatch(/budget epochs:39999: 19 of 42 runs; skipped 23/);
  });

  it("sweep fit varies the first-order phase's clip and rate (no LM polish)", async () => {
    const out = join(tempDir(), "fit.json");
    const r = await sweepCli(
      "fit",
      new URL("../../examples/puromycin-treated.csv", import.meta.url).pathname,
      "--model",
      "michaelis-menten",
      "--x",
      "conc",
      "--y",
      "rate",
      "--clip",
      "global-norm:1,value:1",
      "--lr",
      "0.05,0.2",
      "--steps",
      "400",
      "--seeds",
      "2",
      "--workers",
      "0",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^biograd sweep fit: michaelis-menten/);
    const doc = readDoc(out);
    expect(doc.runs).toHaveLength(12);
    expect(doc.runs.every((run) => run.spec.run.task === "fit-curve")).toBe(true);
    expect(doc.runs.every((run) => run.finalLoss !== null)).toBe(true);
  });
});

describe("sweep --resume", () => {
  it("a sweep killed with SIGKILL and rerun completes with every run exactly once", async () => {
    const dir = tempDir();
    const data = writeIllConditioned(join(dir, "big.csv"), 2000);
    const journal = join(dir, "journal.jsonl");
    const args = [
      "train",
      data,
      "--x",
      "x1,x2",
      "--y",
      "y",
      "--clip",
      "value:0.1,global-norm:1",
      "--lr",
      "0.003,0.01",
      "--seeds",
      "4",
      "--epochs",
      "6000",
      "--workers",
      "2",
      "--resume",
      journal,
    ];
    const total = 24;
    const lines = () =>
      existsSync(journal) ? readFileSync(journal, "utf8").split("\n").filter(Boolean) : [];

    const child = spawnSweep(args);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    for (let waited = 0; lines().length < 3 && waited < 30_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill("SIGKILL");
    await exited;
    const before = lines().length;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(total);
    // What a kill in the middle of a write leaves: a torn last line.
    appendFileSync(journal, '{"v":1,"key":"0123');

    const out = join(dir, "results.json");
    const rerun = spawnSweep([...args, "--out", out]);
    let stdout = "";
    rerun.stdout.on("data", (d) => {
      stdout += d;
    });
    const code = await new Promise<number | null>((resolve) => rerun.once("exit", resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `resume: ${before} of ${total} runs already in .*journal\\.jsonl; running ${total - before} \\(cut a torn last line of 18 bytes\\)`,
      ),
    );
    const keys = lines().map((l) => JSON.parse(l).key as string);
    expect(keys).toHaveLength(total);
    expect(new Set(keys).size).toBe(total);
    const doc = readDoc(out);
    expect(doc.runs).toHaveLength(total);
    expect(new Set(doc.runs.map((run) => run.key))).toEqual(new Set(keys));

    // The same results as a sweep that was never interrupted (run here in the main thread).
    const reference = join(dir, "reference.json");
    const whole = await sweepCli(
      ...args.filter((a, i) => a !== "--resume" && args[i - 1] !== "--resume"),
      "--workers",
      "0",
      "--out",
      reference,
    );
    expect(whole.code).toBe(0);
    expect(withoutTime(doc)).toEqual(withoutTime(readDoc(reference)));

    // A third run finds everything done.
    const third = await sweepCli(...args);
    expect(third.out.join("\n")).toMatch(
      new RegExp(`resume: ${total} of ${total} runs already in .*; running 0`),
    );
    expect(third.out.join("\n")).toMatch(/ran 0 runs/);
  });
});

describe("sweep fit: exponential growth from a bad start (docs/CLIPPING.md §11)", () => {
  it("plain gradient descent explodes in every run; the recommended clipped setting converges", async () => {
    const growth = new URL("../../examples/growth.csv", import.meta.url).pathname;
    const r = await sweepCli(
      "fit",
      growth,
      "--model",
      "N0*exp(r*t)",
      "--x",
      "t",
      "--y",
      "od600",
      "--start",
      "N0=1,r=2",
      "--optimizer",
      "sgd",
      "--lr",
      "0.001,0.01",
      "--seeds",
      "3",
      "--steps",
      "5000",
      "--within",
      "5",
      "--workers",
      "0",
    );
    expect(r.code, r.err.join("\n")).toBe(0);
    const text = r.out.join("\n");
    expect(text).toMatch(/none lr=0\.001 \(baseline\)\s+3\s+3\/3 exploded/);
    expect(text).toMatch(/none lr=0\.01 \(baseline\)\s+3\s+3\/3 exploded/);
    const rec = /^recommendation: clip (\S+) .*at lr=(\S+)$/m.exec(text);
    expect(rec).not.toBeNull();
    const evidence = /^evidence: 3 runs? .*all converged; final loss (\S+) … (\S+)/m.exec(text)!;
    // Converged: from a loss of ~1e16 at the start down to the noise level (~1e-3 or less).
    expect(Number(evidence[2])).toBeLessThan(0.01);
  });
});

describe("sweep --workers", () => {
  const small = [...ill, "--clip", "value:0.1", "--lr", "0.01", "--seeds", "2", "--epochs", "20"];

  it("above the machine's cores: capped at them, with a note", async () => {
    const cores = availableParallelism();
    const asked = cores + 6;
    const r = await sweepCli(...small, "--workers", String(asked));
    expect(r.code).toBe(0);
    const s = cores === 1 ? "" : "s";
    expect(r.err).toContain(
      `note: --workers ${asked}: this machine has ${cores} core${s}; using ${cores}`,
    );
    expect(r.out.join("\n")).toMatch(new RegExp(`ran 4 runs on ${cores} worker thread${s} in`));
  });

  it("0 still runs in the calling thread, and a count within the cores gives no note", async () => {
    for (const workers of ["0", "1"]) {
      const r = await sweepCli(...small, "--workers", workers);
      expect(r.code).toBe(0);
      expect(r.err.filter((l) => l.startsWith("note:"))).toEqual([]);
      expect(r.out.join("\n")).toMatch(
        workers === "0" ? /ran 4 runs in the main thread/ : /ran 4 runs on 1 worker thread in/,
      );
    }
  });
});

describe("sweep --resume with a damaged journal", () => {
  it("ignores lines of the wrong shape, counts them and names the first; reruns those runs", async () => {
    const dir = tempDir();
    const journal = join(dir, "j.jsonl");
    const args = [...ill, "--clip", "value:0.1", "--lr", "0.01", "--seeds", "2", "--epochs", "20"];
    const first = await sweepCli(...args, "--workers", "0", "--resume", journal);
    expect(first.code).toBe(0);
    const lines = readFileSync(journal, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    // Valid JSON, wrong types: a string loss and a null epoch count (keys still match their specs).
    const damaged = lines.map((line, i) => {
      const e = JSON.parse(line);
      if (i === 1) e.result.finalLoss = "0.5";
      if (i === 2) e.result.epochs = null;
      return JSON.stringify(e);
    });
    writeFileSync(journal, `${damaged.join("\n")}\n${lines[0]}\n`);
    const rerun = await sweepCli(...args, "--workers", "0", "--resume", journal);
    expect(rerun.code).toBe(0);
    expect(rerun.out.join("\n")).toMatch(
      /resume: 2 of 4 runs already in .*j\.jsonl; running 2 \(ignored 3 bad or repeated lines, the first at line 2: result\.finalLoss: .*expected number/,
    );
    expect(rerun.out.join("\n")).toMatch(/ran 2 runs in the main thread/);
  });
});
