import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunResult } from "../../src/sweep/run.js";
import { cli } from "../helpers/cli.js";

export const illConditioned = new URL("../fixtures/sweep/ill-conditioned.csv", import.meta.url)
  .pathname;

/** Runs `biograd sweep …` in-process through the real CLI (runCli). */
export function sweepCli(
  ...argv: string[]
): Promise<{ code: number; out: string[]; err: string[] }> {
  return cli("sweep", ...argv);
}

/** The built CLI (needs `npm run build`; `npm test` builds first). */
export const sweepEntry = new URL("../../dist/cli/main.js", import.meta.url).pathname;

/** Spawns `node dist/cli/main.js sweep …`. */
export function spawnSweep(args: readonly string[]) {
  return spawn(process.execPath, [sweepEntry, "sweep", ...args], { stdio: "pipe" });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "biograd-sweep-"));
}

/**
 * A larger ill-conditioned regression (same recipe as test/fixtures/sweep): x1 ~ N(0,1),
 * x2 ~ N(0,10²), y = 3·x1 + 0.5·x2 + 2 + N(0,1); mulberry32-seeded, so it is reproducible.
 */
export function writeIllConditioned(path: string, rows: number): string {
  let state = 7;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const lines = ["x1,x2,y"];
  for (let i = 0; i < rows; i++) {
    const x1 = normal();
    const x2 = 10 * normal();
    lines.push(`${x1},${x2},${3 * x1 + 0.5 * x2 + 2 + normal()}`);
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** A result without its wall time (the only field that may differ between identical runs). */
export function withoutTime(r: RunResult) {
  const { timeMs: _, ...record } = r.record;
  return {
    key: r.run.key,
    setting: r.run.setting.label,
    seed: r.run.seed,
    divergence: r.divergence,
    record,
  };
}
