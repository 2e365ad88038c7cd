import { spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratch } from "../io/snapshot.js";

// A single fit runs in the CLI's own thread (no worker): SIGINT must still end it at once,
// as the shell's 130, with nothing written. Spawns the built CLI (`npm test` builds dist/).
const MAIN = join(import.meta.dirname, "../../dist/cli/main.js");

describe("fit: SIGINT", () => {
  it("ends a long single fit (200,000 rows, profile intervals) at once with nothing written", async () => {
    const dir = scratch();
    const rows = ["x,y"];
    for (let i = 0; i < 200_000; i++) {
      const x = (i % 1000) / 100 + 0.01;
      rows.push(`${x},${(200 * x) / (0.5 + x) + Math.sin(i)}`);
    }
    writeFileSync(join(dir, "big.csv"), `${rows.join("\n")}\n`);
    const args = ["fit", "big.csv", "--model", "mm", "--x", "x", "--y", "y", "--ci", "profile"];
    const child = spawn(process.execPath, [MAIN, ...args, "--out", "fit.json"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
    });
    const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGINT");
    const { code, signal } = await ended;
    // Killed by the signal (what a shell reports as 130), not an orderly exit.
    expect({ code, signal }).toEqual({ code: null, signal: "SIGINT" });
    expect(out).toBe("");
    expect(readdirSync(dir).sort()).toEqual(["big.csv"]);
  }, 60_000);
});
