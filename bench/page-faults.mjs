// What touching fresh memory costs on this machine, and how many fresh pages biograd's runs
// touch (on demand; explains the slow first calls of fresh processes in bench/RESULTS.md and
// bench/groups/RESULTS.md):
//   npm run build && node bench/page-faults.mjs
// 1. µs per page for the first write to each 4 KiB page of a fresh 64 MiB buffer (a minor page
//    fault each: on a bare machine ~0.1–0.3 µs, in a VM with nested paging ~0.5–1 µs);
// 2. µs per `new Float64Array(n)` for 300 arrays in a row, fresh (what a train() call's 1,000-
//    epoch record store, 15,000 doubles, pays when its memory comes new from the system);
// 3. minor page faults of whole processes (/usr/bin/time %R): `node -e 0`, `python3 -c pass`,
//    and `biograd fit --group` on 10,000 curves with --workers 0/1/2, each × the µs per page.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const size = 64 << 20;
const t0 = performance.now();
const fresh = Buffer.allocUnsafeSlow(size);
const t1 = performance.now();
for (let i = 0; i < size; i += 4096) fresh[i] = 1;
const perPage = ((performance.now() - t1) * 1000) / (size / 4096);
const lines = [
  `first write to a fresh page: ${perPage.toFixed(2)} µs (64 MiB, ${size / 4096} pages; allocating it ${(t1 - t0).toFixed(2)} ms)`,
];
for (const n of [4000, 15000]) {
  const t = performance.now();
  for (let i = 0; i < 300; i++) new Float64Array(n)[0] = 1;
  lines.push(
    `new Float64Array(${n}) (${(n * 8) / 1024} KiB), 300 in a row: ${(((performance.now() - t) * 1000) / 300).toFixed(1)} µs each`,
  );
}
const csv = resolve(here, "out/groups/curves-10000.csv");
const runs = [
  ["node -e 0", "node", ["-e", "0"]],
  ["python3 -c pass", "python3", ["-c", "pass"]],
];
if (existsSync(csv)) {
  for (const w of [0, 1, 2]) {
    const args = [resolve(here, "../dist/cli/main.js"), "fit", csv, "--group", "compound"];
    args.push("--model", "4pl", "--x", "logconc", "--y", "response", "--fast", "--quiet");
    args.push("--workers", String(w), "--out", `/tmp/biograd-page-faults-${process.pid}.csv`);
    runs.push([`biograd fit --group, 10,000 curves, --workers ${w}`, "node", args]);
  }
}
for (const [label, cmd, args] of runs) {
  const run = spawnSync("/usr/bin/time", ["-f", "%R %e", cmd, ...args], { encoding: "utf8" });
  const [faults, seconds] = run.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  lines.push(
    `${label}: ${faults} minor faults ≈ ${Math.round((faults * perPage) / 1000)} ms at that rate, of ${Math.round(seconds * 1000)} ms wall`,
  );
}
spawnSync("rm", ["-f", `/tmp/biograd-page-faults-${process.pid}.csv`]);
process.stdout.write(`${lines.join("\n")}\n`);
