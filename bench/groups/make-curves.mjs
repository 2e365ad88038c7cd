// Seeded generator of N simulated 4PL inhibition curves (issue 9's benchmark data).
//   node bench/groups/make-curves.mjs [--n=10000] [--seed=1] [--out=bench/out/groups]
// writes OUT/curves-N.csv (compound,logconc,response: 8 concentrations × 3 replicates per
// compound) and OUT/truth-N.csv (compound,bottom,top,logEC50,hill). bench/out/ is git-ignored.
// Truth per curve: bottom ~ U(0, 10), top ~ U(90, 110), logEC50 ~ U(−8, −6.5) (inside the
// tested range −9 … −5.5), hill ~ −U(0.7, 1.8) (falling); noise N(0, 5) = 5 % of the span.
// The generator is mulberry32 + Box–Muller, so every run and every peer sees the same bytes.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { resolve } from "node:path";

const flag = (name, dflt) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const n = Number(flag("n", "10000"));
const seed = Number(flag("seed", "1"));
const out = resolve(flag("out", new URL("../out/groups", import.meta.url).pathname));

function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(seed);
const normal = () => {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
};

const LOGCONC = [-9, -8.5, -8, -7.5, -7, -6.5, -6, -5.5];
const REPLICATES = 3;
const SD = 5;
// Written in blocks as it goes (1,000,000 curves are 500 MB of text): the same bytes as one
// write of the whole file.
mkdirSync(out, { recursive: true });
const curvesPath = resolve(out, `curves-${n}.csv`);
const curves = openSync(curvesPath, "w");
const truth = openSync(resolve(out, `truth-${n}.csv`), "w");
const put = (fd, text) => {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
};
let rows = "compound,logconc,response\n";
let truths = "compound,bottom,top,logEC50,hill\n";
for (let c = 0; c < n; c++) {
  const id = `C${String(c + 1).padStart(7, "0")}`;
  const bottom = 10 * rand();
  const top = 90 + 20 * rand();
  const logEC50 = -8 + 1.5 * rand();
  const hill = -(0.7 + 1.1 * rand());
  truths += `${id},${bottom},${top},${logEC50},${hill}\n`;
  for (const x of LOGCONC) {
    const f = bottom + (top - bottom) / (1 + 10 ** ((logEC50 - x) * hill));
    for (let r = 0; r < REPLICATES; r++) rows += `${id},${x},${(f + SD * normal()).toFixed(4)}\n`;
  }
  if (rows.length > 1 << 20) {
    put(curves, rows);
    put(truth, truths);
    rows = "";
    truths = "";
  }
}
put(curves, rows);
put(truth, truths);
closeSync(curves);
closeSync(truth);
process.stdout.write(`${curvesPath}\n`);
