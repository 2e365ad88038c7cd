// Microbenchmark of the CSV number writer (src/tasks/number-bytes.ts, built into dist/):
// ns per number for the numbers of a grouped fit's CSV (read from a CSV given as the first
// argument, else random full-precision doubles), against String(v) plus copying its bytes.
// Usage: npm run build && node bench/number-bytes.mjs [results.csv] [module path]
// (the module path lets an A/B run load another build's writer).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [file, modulePath = "dist/tasks/number-bytes.js"] = process.argv.slice(2);
const { writeNumber } = await import(pathToFileURL(resolve(modulePath)).href);

let values;
if (file) {
  values = readFileSync(file, "utf8")
    .split("\n")
    .slice(1)
    .flatMap((line) => line.split(","))
    .filter((f) => f !== "" && !Number.isNaN(Number(f)))
    .map(Number);
} else {
  values = Array.from(
    { length: 200_000 },
    () => (Math.random() - 0.5) * 10 ** (Math.random() * 8 - 4),
  );
}
const numbers = Float64Array.from(values);
const out = new Uint8Array(64 * 1024);

function viaWriter() {
  let at = 0;
  let sum = 0;
  for (let i = 0; i < numbers.length; i++) {
    at = writeNumber(numbers[i], out, at);
    if (at > out.length - 64) {
      sum += at;
      at = 0;
    }
  }
  return sum + at;
}

function viaString() {
  let at = 0;
  let sum = 0;
  for (let i = 0; i < numbers.length; i++) {
    const s = String(numbers[i]);
    for (let k = 0; k < s.length; k++) out[at + k] = s.charCodeAt(k);
    at += s.length;
    if (at > out.length - 64) {
      sum += at;
      at = 0;
    }
  }
  return sum + at;
}

function time(fn) {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / numbers.length;
}

for (let i = 0; i < 3; i++) {
  viaWriter(); // warm up
  viaString();
}
const rounds = 7;
const w = [];
const s = [];
for (let i = 0; i < rounds; i++) {
  w.push(time(viaWriter));
  s.push(time(viaString));
}
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
console.log(
  `${numbers.length} numbers: writer ${median(w).toFixed(1)} ns/number, String ${median(s).toFixed(1)} ns/number (CPU time, median of ${rounds})`,
);
