// Compares two `biograd fit --group … --out X.csv` result files group by group: the largest
// relative difference of every numeric column (|a − b| / max(|a|, |b|), a difference below the
// absolute floor counting as none), the groups whose `converged`, `flags` or `reason` changed,
// and groups present in one file only. For checking that a change to the fitter keeps its
// results (issue 9: every estimate within 1e-6 relative or 1e-9 absolute, the same flags).
//   node bench/groups/compare-outputs.mjs BASE.csv NEW.csv [--rel=1e-6] [--abs=1e-9] [--keys=1]
// --keys: how many leading columns name the group (1 for `--group compound`). Exits 1 when a
// tolerance is exceeded or a flag changed, else 0. Plain comma-separated cells (what
// `biograd fit --out` writes for numeric groups; quoted cells with commas are not handled).
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const flag = (name, dflt) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const [basePath, newPath] = args.filter((a) => !a.startsWith("--"));
if (basePath === undefined || newPath === undefined) {
  process.stderr.write("usage: compare-outputs.mjs BASE.csv NEW.csv [--rel=1e-6] [--abs=1e-9]\n");
  process.exit(2);
}
const relTol = Number(flag("rel", "1e-6"));
const absTol = Number(flag("abs", "1e-9"));
const keys = Number(flag("keys", "1"));
const TEXT = new Set(["converged", "flags", "reason"]);

function read(path) {
  const lines = readFileSync(path, "utf8").split("\n");
  const header = lines[0].split(",");
  const rows = new Map();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const cells = lines[i].split(",");
    rows.set(cells.slice(0, keys).join(","), cells);
  }
  return { header, rows };
}

const base = read(basePath);
const next = read(newPath);
if (base.header.join(",") !== next.header.join(",")) {
  process.stdout.write(`headers differ:\n  ${base.header}\n  ${next.header}\n`);
  process.exit(1);
}
const { header } = base;
const worst = header.map(() => ({ rel: 0, raw: 0, group: "", a: "", b: "" }));
const textChanges = [];
let onlyOne = 0;
let beyond = 0;
for (const [key, a] of base.rows) {
  const b = next.rows.get(key);
  if (b === undefined) {
    onlyOne++;
    continue;
  }
  for (let k = keys; k < header.length; k++) {
    if (TEXT.has(header[k])) {
      if (a[k] !== b[k]) textChanges.push(`${key} ${header[k]}: "${a[k]}" → "${b[k]}"`);
      continue;
    }
    if (a[k] === b[k]) continue;
    const x = Number(a[k]);
    const y = Number(b[k]);
    const raw =
      Number.isNaN(x) || Number.isNaN(y)
        ? Number.POSITIVE_INFINITY
        : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
    const rel = Math.abs(x - y) <= absTol ? 0 : raw;
    if (raw > worst[k].raw) worst[k].raw = raw;
    if (rel > relTol) beyond++;
    if (rel > worst[k].rel) Object.assign(worst[k], { rel, group: key, a: a[k], b: b[k] });
  }
}
for (const key of next.rows.keys()) if (!base.rows.has(key)) onlyOne++;

const out = [`groups: ${base.rows.size} vs ${next.rows.size}, in one file only: ${onlyOne}`];
out.push(
  "largest relative difference per column (|a−b| ≤ abs tolerance counts as 0; [raw: without that floor]):",
);
for (let k = keys; k < header.length; k++) {
  if (TEXT.has(header[k])) continue;
  const w = worst[k];
  out.push(
    `  ${header[k].padEnd(16)} ${w.rel.toExponential(2)} [raw ${w.raw.toExponential(2)}]${w.rel > 0 ? `  (${w.group}: ${w.a} vs ${w.b})` : ""}`,
  );
}
out.push(`cells beyond rel ${relTol}: ${beyond}`);
out.push(`converged/flags/reason changes: ${textChanges.length}`);
for (const line of textChanges.slice(0, 20)) out.push(`  ${line}`);
process.stdout.write(`${out.join("\n")}\n`);
process.exit(onlyOne > 0 || beyond > 0 || textChanges.length > 0 ? 1 : 0);
