// The curve-fitting benchmark's problems: three fits of the examples (reference: R nls,
// test/fixtures/r/r-nls-reference.json) and the six NIST StRD problems from both certified
// starts (reference: NIST's certified values). `writeProblems` writes them to bench/out/ as
// one CSV per data set plus a JSON manifest (Node, Python) and a CSV manifest (R, which has no
// JSON reader without a package), so every peer reads exactly the same numbers.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The six NIST models as a user would type them (as in test/nls/nist-pipeline.test.ts). */
export const NIST_FORMULAS = {
  Misra1a: "b1*(1-exp(-b2*x))",
  Thurber: "(b1 + b2*x + b3*x^2 + b4*x^3) / (1 + b5*x + b6*x^2 + b7*x^3)",
  MGH09: "b1*(x^2+x*b2) / (x^2+x*b3+b4)",
  Rat43: "b1 / ((1+exp(b2-b3*x))^(1/b4))",
  BoxBOD: "b1*(1-exp(-b2*x))",
  Eckerle4: "(b1/b2) * exp(-0.5*((x-b3)/b2)^2)",
};

/** A NIST StRD .dat file, read by the line spans its header declares (as test/helpers/nist.ts). */
function parseNist(name) {
  const text = readFileSync(join(root, "test/fixtures/nist", `${name}.dat`), "utf8");
  const lines = text.split(/\r?\n/);
  const span = (label) => {
    const m = new RegExp(`${label}\\s+\\(lines\\s+(\\d+)\\s+to\\s+(\\d+)\\)`).exec(text);
    if (m === null) throw new Error(`${name}.dat: no "${label} (lines a to b)"`);
    return [Number(m[1]), Number(m[2])];
  };
  const [s0, s1] = span("Starting Values");
  const [d0, d1] = span("Data");
  const params = [];
  for (let k = s0; k <= s1; k++) {
    const m = /^\s*(b\d+)\s*=\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(lines[k - 1] ?? "");
    if (m === null) throw new Error(`${name}.dat:${k}: expected "bK = start1 start2 value sd"`);
    params.push({
      name: m[1],
      start1: Number(m[2]),
      start2: Number(m[3]),
      certified: Number(m[4]),
    });
  }
  const x = [];
  const y = [];
  for (let k = d0; k <= d1; k++) {
    const [yk, xk] = lines[k - 1].trim().split(/\s+/).map(Number);
    if (!Number.isFinite(xk) || !Number.isFinite(yk)) throw new Error(`${name}.dat:${k}: "y x"`);
    x.push(xk);
    y.push(yk);
  }
  const rss = Number(/Residual Sum of Squares:\s+(\S+)/.exec(text)[1]);
  return { params, x, y, rss };
}

function readCsv(path) {
  const [header, ...rows] = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const names = header.split(",");
  const cols = names.map(() => []);
  for (const row of rows) {
    row.split(",").forEach((v, j) => {
      cols[j].push(Number(v));
    });
  }
  return Object.fromEntries(names.map((name, j) => [name, cols[j]]));
}

/**
 * Every problem: id, formula (biograd's and R's syntax agree here), the variable's name,
 * parameter names, start, data, reference estimates and where they come from. `model` keys
 * the hand-written function and Jacobian of the Python peer.
 */
export function problems() {
  const ref = JSON.parse(
    readFileSync(join(root, "test/fixtures/r/r-nls-reference.json"), "utf8"),
  ).cases;
  const puro = readCsv(join(root, "examples/puromycin-treated.csv"));
  const dnase = readCsv(join(root, "examples/dnase-run1.csv"));
  const example = (id, model, formula, data, yName, refCase, start) => ({
    id,
    group: "example",
    model,
    formula,
    variable: "conc",
    params: ref[refCase].params,
    start,
    x: data.conc,
    y: data[yName],
    reference: ref[refCase].estimate,
    referenceRss: ref[refCase].rss,
    referenceSource: `R nls, r-nls-reference.json cases.${refCase} (tol 1e-8, nDcentral)`,
    // How far R's reference itself is from an equivalent formulation (the JSON's check):
    // LRE above −log10 of this is below the reference's own resolution.
    referenceResolution: ref[refCase].check.max_rel_diff_tight,
  });
  const list = [
    example(
      "Puromycin MM",
      "mm",
      "Vm*conc/(K+conc)",
      puro,
      "rate",
      "puromycin_treated_mm",
      [200, 0.05],
    ),
    example(
      "DNase logistic",
      "logistic",
      "Asym/(1+exp((xmid-log(conc))/scal))",
      dnase,
      "density",
      "dnase1_logistic",
      [3, 0, 1],
    ),
    example(
      "DNase 4PL",
      "fpl",
      "A+(B-A)/(1+exp((xmid-log(conc))/scal))",
      dnase,
      "density",
      "dnase1_4pl",
      [0, 3, 0, 1],
    ),
  ];
  for (const [name, formula] of Object.entries(NIST_FORMULAS)) {
    const d = parseNist(name);
    for (const s of [1, 2]) {
      list.push({
        id: `${name} s${s}`,
        group: "nist",
        model: name,
        formula,
        variable: "x",
        params: d.params.map((p) => p.name),
        start: d.params.map((p) => (s === 1 ? p.start1 : p.start2)),
        x: d.x,
        y: d.y,
        reference: d.params.map((p) => p.certified),
        referenceRss: d.rss,
        referenceSource: `NIST StRD certified values (test/fixtures/nist/${name}.dat)`,
        referenceResolution: null,
      });
    }
  }
  return list;
}

const fileId = (id) => id.replace(/\W+/g, "-");

/**
 * Writes bench/out/curve-data-<id>.csv (columns <variable>,y; shortest round-trip decimals),
 * curve-problems.json (everything, plus the repetition policy) and curve-manifest.csv (R).
 */
export function writeProblems(out, list, policy) {
  const manifest = ["id,data,variable,params,start,formula"];
  for (const p of list) {
    p.dataPath = join(out, `curve-data-${fileId(p.id)}.csv`);
    const rows = p.x.map((x, i) => `${x},${p.y[i]}`);
    writeFileSync(p.dataPath, `${p.variable},y\n${rows.join("\n")}\n`);
    // No field holds a comma or a quote except the formula, which is quoted.
    manifest.push(
      [p.id, p.dataPath, p.variable, p.params.join(" "), p.start.join(" "), `"${p.formula}"`].join(
        ",",
      ),
    );
  }
  const jsonPath = join(out, "curve-problems.json");
  writeFileSync(jsonPath, JSON.stringify({ policy, problems: list }, null, 2));
  const csvPath = join(out, "curve-manifest.csv");
  writeFileSync(csvPath, `${manifest.join("\n")}\n`);
  return { jsonPath, csvPath };
}

/**
 * Log relative error, the number of matching significant digits: −log10(|x − c| / |c|),
 * capped at 15 (as test/helpers/nist.ts); null when x is not a finite number.
 */
export function lre(x, c) {
  if (typeof x !== "number" || !Number.isFinite(x)) return null;
  if (x === c) return 15;
  const rel = c === 0 ? Math.abs(x) : Math.abs(x - c) / Math.abs(c);
  return Math.min(15, -Math.log10(rel));
}

/** The fewest matching digits over the parameters (null if any estimate is missing). */
export function minLre(estimates, reference) {
  if (!Array.isArray(estimates)) return null;
  const l = reference.map((c, j) => lre(estimates[j], c));
  return l.some((v) => v === null) ? null : Math.min(...l);
}
