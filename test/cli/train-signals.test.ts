import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { scratch, snapshot } from "../io/snapshot.js";

// These tests spawn the built CLI (`npm test` builds dist/ first): a signal can only be
// delivered to a real process, and peak memory is only meaningful for one.
const MAIN = join(import.meta.dirname, "../../dist/cli/main.js");

let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(() => {
  dir = scratch();
  const rows = ["x,z,y"];
  for (let i = 0; i < 20; i++)
    rows.push(`${i / 20},${(i % 3) / 3},${1 + 2 * (i / 20) - (i % 3) / 3 + 0.01 * Math.cos(i)}`);
  writeFileSync(at("d.csv"), `${rows.join("\n")}\n`);
  writeFileSync(at("s.csv"), "x,y\n0,1\n1,3\n2,5.1\n3,6.9\n");
});

function run(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: "utf8" });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

const TRAIN = ["train", "d.csv", "--x", "x,z", "--y", "y", "--epochs", "150000", "--seed", "3"];

describe("train: SIGINT, checkpoint, resume", () => {
  it("stops at the next epoch with a checkpoint; --resume-from ends bit-identical to an uninterrupted run", async () => {
    const child = spawn(
      process.execPath,
      [MAIN, ...TRAIN, "--checkpoint", "c.json", "--checkpoint-every", "5000", "--out", "r.json"],
      { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    child.stderr!.on("data", (d) => {
      err += d;
    });
    child.stdout!.resume();
    const done = exited(child);
    // Interrupt once the first periodic checkpoint is on disk: the run is under way.
    for (let i = 0; i < 400 && !existsSync(at("c.json")); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(existsSync(at("c.json"))).toBe(true);
    child.kill("SIGINT");
    const code = await done;
    expect(code).toBe(130);
    const lines = err.trim().split("\n");
    const last = lines[lines.length - 1]!;
    const m =
      /^biograd: training interrupted by SIGINT after (\d+) of 150000 epochs; checkpoint c\.json \(continue with --resume-from c\.json\)$/.exec(
        last,
      );
    expect(m, last).not.toBeNull();
    const stoppedAt = Number(m![1]);
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(150000);
    // The interrupted run's --out is only beside its path, marked as not finished.
    expect(existsSync(at("r.json"))).toBe(false);
    const partial = JSON.parse(readFileSync(at("r.failed.json"), "utf8"));
    expect(partial).toMatchObject({
      converged: false,
      stopReason: "interrupted",
      epochs: stoppedAt,
    });
    const checkpoint = JSON.parse(readFileSync(at("c.json"), "utf8"));
    expect(checkpoint.counters.epoch).toBe(stoppedAt);

    const resumed = run([...TRAIN, "--resume-from", "c.json", "--out", "r.json"]);
    expect(resumed.code, resumed.err).toBe(0);
    const whole = run([...TRAIN, "--out", "whole.json"]);
    expect(whole.code, whole.err).toBe(0);
    const a = JSON.parse(readFileSync(at("r.json"), "utf8"));
    const b = JSON.parse(readFileSync(at("whole.json"), "utf8"));
    expect(a.epochs).toBe(150000);
    expect(a.model).toEqual(b.model); // every bit: JSON keeps doubles exactly
    expect(a.parameters).toEqual(b.parameters);
    expect(a.finalLoss).toBe(b.finalLoss);
    expect(a.steps).toBe(b.steps);
    expect(a.history).toEqual(b.history);
  }, 60_000);

  it("SIGTERM: exit 143; --history-jsonl of a stopped run goes beside its path, one line an epoch", async () => {
    writeFileSync(at("h.jsonl"), "an earlier history\n");
    const before = snapshot(dir)["h.jsonl"];
    const child = spawn(process.execPath, [MAIN, ...TRAIN, "--history-jsonl", "h.jsonl"], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr!.on("data", (d) => {
      err += d;
    });
    const done = exited(child);
    // The first progress line (epoch 0) says the run is under way.
    for (let i = 0; i < 400 && !err.includes("epoch 0/"); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGTERM");
    expect(await done).toBe(143);
    const last = err.trim().split("\n").pop()!;
    const m = /^biograd: training interrupted by SIGTERM after (\d+) of 150000 epochs$/.exec(last);
    expect(m, last).not.toBeNull();
    expect(snapshot(dir)["h.jsonl"]).toBe(before);
    const lines = readFileSync(at("h.jsonl.failed.json"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(Number(m![1]));
    expect(JSON.parse(lines[0]!).epoch).toBe(0);
    expect(JSON.parse(lines[lines.length - 1]!).epoch).toBe(lines.length - 1);
  }, 60_000);
});

describe("train: memory stays bounded", () => {
  it("2,000,000 epochs with --out: peak RSS under 300 MB", () => {
    // /usr/bin/time -v where installed (BIOGRAD_TEST_NO_TIME=1 tries the fallback here too).
    const time = existsSync("/usr/bin/time") && !process.env.BIOGRAD_TEST_NO_TIME;
    const args = [
      "train",
      "s.csv",
      "--x",
      "x",
      "--y",
      "y",
      "--epochs",
      "2000000",
      "--out",
      "big.json",
    ];
    let peakKb: number;
    let r: ReturnType<typeof spawnSync>;
    if (time) {
      r = spawnSync("/usr/bin/time", ["-v", process.execPath, MAIN, ...args], {
        cwd: dir,
        encoding: "utf8",
      });
      peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(String(r.stderr))![1]);
    } else {
      // The CLI in this wrapper's own process (its worker thread included), which reports
      // its peak resident set size as it exits.
      const wrapper = `process.on("exit", () => process.stderr.write("peak " + process.resourceUsage().maxRSS + "\\n"));
        await import(${JSON.stringify(pathToFileURL(MAIN).href)});`;
      writeFileSync(at("wrapper.mjs"), wrapper);
      r = spawnSync(process.execPath, [at("wrapper.mjs"), ...args], { cwd: dir, encoding: "utf8" });
      peakKb = Number(/peak (\d+)/.exec(String(r.stderr))![1]);
    }
    expect(r.status, String(r.stderr)).toBe(0);
    const doc = JSON.parse(readFileSync(at("big.json"), "utf8"));
    expect(doc.epochs).toBe(2_000_000);
    expect(doc.history.epoch.length).toBeLessThan(10_000); // thinned, not one per epoch
    expect(peakKb).toBeGreaterThan(10_000); // measured something real
    expect(peakKb / 1024).toBeLessThan(300);
  }, 60_000);
});
