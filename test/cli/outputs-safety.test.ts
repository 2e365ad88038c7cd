import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { mkfifo, scratch, snapshot } from "../io/snapshot.js";

// Issue 8 item 6, acceptance: for fit, train and predict, an output that is an input, in a
// missing directory, a symlink, a FIFO or /dev/full, and a failed run over an existing file.
// Each case checks the exit code, the one line on stderr, and that every file that was there
// before is byte-identical afterwards (a symlink still a symlink).

let dir: string;
const at = (name: string) => join(dir, name);

function linearData(): string {
  const rows = ["x,z,y"];
  for (let i = 0; i < 40; i++) {
    const x = (i % 7) / 7;
    const z = (i % 5) / 5;
    rows.push(`${x},${z},${2 * x - z + 1 + 0.01 * Math.sin(i)}`);
  }
  return `${rows.join("\n")}\n`;
}

const MM = "x,y\n0.5,2.1\n1,3.2\n2,5.1\n4,6.6\n8,8.1\n16,8.9\n32,9.4\n";

beforeEach(() => {
  dir = scratch();
  writeFileSync(at("d.csv"), linearData());
  writeFileSync(at("mm.csv"), MM);
});

/** Each command with `--out` at `out`, reading only files made in beforeEach (and a fit). */
type Command = { name: string; args: (out: string) => string[] };
const commands: Command[] = [
  {
    name: "fit",
    args: (out) => [
      "fit",
      at("mm.csv"),
      "--model",
      "Vm*x/(K+x)",
      "--x",
      "x",
      "--y",
      "y",
      "--start",
      "Vm=10,K=2",
      "--out",
      out,
    ],
  },
  {
    name: "train",
    args: (out) => ["train", at("d.csv"), "--x", "x,z", "--y", "y", "--epochs", "50", "--out", out],
  },
  {
    name: "predict",
    args: (out) => ["predict", at("fit.json"), "--at", "1,2", "--out", out],
  },
];

/** A converged fit to predict from. */
async function makeFit(): Promise<void> {
  const r = await cli(...commands[0]!.args(at("fit.json")));
  expect(r.code).toBe(0);
}

/** Runs the command and checks that nothing under the scratch directory changed. */
async function refused(argv: string[]) {
  const before = snapshot(dir);
  const r = await cli(...argv);
  expect(snapshot(dir)).toEqual(before);
  return r;
}

describe.each(commands)("$name: outputs that would destroy data are refused", (command) => {
  beforeEach(makeFit);

  it("output = input: exit 2, one line, nothing changed", async () => {
    const input = command.name === "predict" ? at("fit.json") : command.args("")[1]!;
    const r = await refused(command.args(input));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`biograd: --out ${input}: is the input file (give another path)`]);
  });

  it("the input by another spelling (through a symlink): refused the same way", async () => {
    const input = command.name === "predict" ? at("fit.json") : command.args("")[1]!;
    symlinkSync(input, at("alias"));
    const r = await refused(command.args(at("alias")));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      `biograd: --out ${at("alias")}: is the input file ${input} (give another path)`,
    ]);
  });

  it("a missing directory: exit 2 before any work", async () => {
    const out = at("nope/out.json");
    const r = await refused(command.args(out));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`biograd: --out ${out}: directory "${at("nope")}" does not exist`]);
    expect(r.out).toEqual([]); // refused before the run: no summary printed
  });

  it("a FIFO: refused, still a FIFO", async () => {
    mkfifo(at("pipe"));
    const r = await refused(command.args(at("pipe")));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      `biograd: --out ${at("pipe")}: is a FIFO; expected a regular file or a new path`,
    ]);
    expect(lstatSync(at("pipe")).isFIFO()).toBe(true);
  });

  it.skipIf(!existsSync("/dev/full"))("/dev/full: refused, still a device", async () => {
    const r = await refused(command.args("/dev/full"));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      "biograd: --out /dev/full: is a character device; expected a regular file or a new path",
    ]);
    expect(lstatSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("a symlink: written through to its target, still a symlink", async () => {
    mkdirSync(at("real"));
    writeFileSync(at("real/target"), "old\n");
    symlinkSync("real/target", at("link"));
    const before = snapshot(dir);
    const r = await cli(...command.args(at("link")));
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      command.name === "predict" ? `wrote ${at("link")} (2 rows)` : `wrote ${at("link")}`,
    );
    const after = snapshot(dir);
    expect(after.link).toBe("link -> real/target");
    expect(readFileSync(at("real/target"), "utf8")).not.toBe("old\n");
    // Everything else is as it was.
    delete before["real/target"];
    delete after["real/target"];
    expect(after).toEqual(before);
  });
});

describe("a failed run writes nothing over an existing file", () => {
  it("train: a diverging run leaves run.json, writes run.failed.json", async () => {
    writeFileSync(at("run.json"), "the good run\n");
    const before = snapshot(dir);
    const r = await cli(
      "train",
      at("d.csv"),
      "--x",
      "x,z",
      "--y",
      "y",
      "--epochs",
      "200",
      "--clip",
      "none",
      "--optimizer",
      "sgd:1e6",
      "--out",
      at("run.json"),
    );
    expect(r.code).toBe(1);
    expect(r.err.filter((l) => !l.startsWith("epoch "))).toEqual([
      "biograd: training diverged (loss became non-finite); try a clip or a smaller learning rate",
    ]);
    expect(r.out).toContain(
      `wrote ${at("run.failed.json")} (the run diverged; ${at("run.json")} not written)`,
    );
    const after = snapshot(dir);
    const failed = JSON.parse(readFileSync(at("run.failed.json"), "utf8"));
    expect(failed).toMatchObject({ kind: "linear", converged: false, stopReason: "diverged" });
    delete after["run.failed.json"];
    expect(after).toEqual(before);

    // predict refuses the failed run unless told; with --allow-unconverged the schema still
    // refuses its non-finite weights (null in JSON) by their path.
    const p = await cli("predict", at("run.failed.json"), at("d.csv"));
    expect(p.code).toBe(2);
    expect(p.err).toEqual([
      `biograd: ${at("run.failed.json")}: converged: the run did not finish (stopped: diverged), so its weights are not to be trusted (train again, or predict with --allow-unconverged)`,
    ]);
  });

  it("fit: a fit that does not converge leaves fit.json, writes fit.failed.json", async () => {
    writeFileSync(at("fit.json"), '{"a good fit": true}\n');
    const before = snapshot(dir);
    const r = await cli(
      "fit",
      at("mm.csv"),
      "--model",
      "A*exp(k*x)",
      "--x",
      "x",
      "--y",
      "y",
      "--start",
      "A=1,k=1000",
      "--phases",
      "lm",
      "--out",
      at("fit.json"),
    );
    expect(r.code).toBe(1);
    expect(r.err).toEqual(["biograd: the fit did not converge"]);
    expect(r.out).toContain(
      `wrote ${at("fit.failed.json")} (the fit did not converge; ${at("fit.json")} not written)`,
    );
    const after = snapshot(dir);
    const failed = JSON.parse(readFileSync(at("fit.failed.json"), "utf8"));
    expect(failed.result.converged).toBe(false);
    delete after["fit.failed.json"];
    expect(after).toEqual(before);

    // predict refuses it unless --allow-unconverged; a refused predict writes nothing.
    writeFileSync(at("p.csv"), "old predictions\n");
    const snap = snapshot(dir);
    const p = await cli("predict", at("fit.failed.json"), "--at", "1", "--out", at("p.csv"));
    expect(p.code).toBe(2);
    expect(p.err).toEqual([
      `biograd: ${at("fit.failed.json")}: result.converged: the fit did not converge, so its estimates are not to be trusted (refit, or predict with --allow-unconverged)`,
    ]);
    expect(snapshot(dir)).toEqual(snap);
    const allowed = await cli("predict", at("fit.failed.json"), "--at", "0", "--allow-unconverged");
    expect(allowed.code).toBe(0);
    expect(allowed.out[0]).toBe("x,y_predicted");
    expect(allowed.out[1]).toBe("0,1"); // A·exp(k·0) = A = 1, the start it stopped at
  });
});

describe("predict reads linear train --out files", () => {
  it("ŷ = Σ w·x + b from the run file, validated by schema", async () => {
    const r = await cli(
      "train",
      at("d.csv"),
      "--x",
      "x,z",
      "--y",
      "y",
      "--epochs",
      "300",
      "--out",
      at("run.json"),
    );
    expect(r.code).toBe(0);
    const run = JSON.parse(readFileSync(at("run.json"), "utf8"));
    expect(run).toMatchObject({ kind: "linear", converged: true });
    writeFileSync(at("new.csv"), "id,z,x\na,0.5,0.25\nb,1,2\n");
    const p = await cli("predict", at("run.json"), at("new.csv"));
    expect(p.code).toBe(0);
    const { w, b } = run.model as { w: number[]; b: number };
    expect(p.out.slice(0, 3)).toEqual([
      "x,z,y_predicted",
      `0.25,0.5,${b + 0.25 * w[0]! + 0.5 * w[1]!}`,
      `2,1,${b + 2 * w[0]! + 1 * w[1]!}`,
    ]);

    run.model.w = [1, null];
    writeFileSync(at("bad.json"), JSON.stringify(run));
    const bad = await cli("predict", at("bad.json"), at("new.csv"));
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([
      `biograd: ${at("bad.json")}: model.w[1]: expected number, received null`,
    ]);
    run.model.w = [1];
    writeFileSync(at("bad.json"), JSON.stringify(run));
    const short = await cli("predict", at("bad.json"), at("new.csv"));
    expect(short.err).toEqual([
      `biograd: ${at("bad.json")}: model.w: has 1 weights for 2 features`,
    ]);
  });
});
