// Summarises a V8 CPU profile (node --cpu-prof) by function: self time and inclusive time
// (each function counted once per sample however deep it recurses), top N by self time,
// plus the inclusive time of functions whose name matches --focus.
//   node --cpu-prof --cpu-prof-dir=bench/out/curve-prof bench/curve-peer-biograd.mjs \
//     bench/out/curve-problems.json --profile="Misra1a s1" --mode=default --seconds=5
//   node bench/curve-profile.mjs bench/out/curve-prof/<file>.cpuprofile [--top=25]
//     [--focus=firstOrder,levenbergMarquardt,nlsSummary]
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const file = process.argv.find((a, i) => i >= 2 && !a.startsWith("--"));
const top = Number(flag("top") ?? 25);
const focus = (flag("focus") ?? "").split(",").filter(Boolean);
const prof = JSON.parse(readFileSync(file, "utf8"));

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const key = (n) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url ? `${basename(url)}:${lineNumber + 1}` : "";
  return `${functionName || "(anonymous)"} ${where}`.trim();
};

const self = new Map();
const total = new Map();
let all = 0;
prof.samples.forEach((id, i) => {
  const dt = (prof.timeDeltas[i] ?? 0) / 1000; // µs → ms
  all += dt;
  let node = byId.get(id);
  self.set(key(node), (self.get(key(node)) ?? 0) + dt);
  const seen = new Set();
  while (node) {
    const k = key(node);
    if (!seen.has(k)) {
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + dt);
    }
    node = byId.get(parent.get(node.id));
  }
});

const pct = (v) => `${((100 * v) / all).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${all.toFixed(0)} ms sampled`);
console.log("\nself time (top):");
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`  ${pct(v)} self  ${pct(total.get(k))} incl  ${k}`);
}
if (focus.length) {
  console.log("\ninclusive time of:");
  for (const [k, v] of [...total].sort((a, b) => b[1] - a[1])) {
    if (focus.some((f) => k.split(" ")[0] === f)) console.log(`  ${pct(v)} incl  ${k}`);
  }
}
