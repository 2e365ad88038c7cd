// A/B of the grouped CSV reader (issue 9): two builds' `streamGroupedColumns` (the --workers 0
// read), and their range scan (`openGroupRanges`, the main thread's part with workers) plus
// `groupedColumnsFromBytes` on every range (the workers' parse), over CPU time (the host is
// shared: wall clock is noise). Each side runs in a fresh child process per round, rounds
// interleaved A, B, A, B…; medians and the B/A ratio on stdout as JSON.
//   node bench/groups/read-ab.mjs A/dist B/dist [FILE] [--rounds=5] [--per-range=50]
// FILE defaults to bench/out/groups/curves-100000.csv (group compound, x logconc, y response).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000; // ms
};

const opts = { groupColumns: ["compound"], numeric: ["logconc", "response"] };

async function child(dist, file, perRange) {
  const load = (p) => import(pathToFileURL(resolve(dist, p)).href);
  const { streamGroupedColumns, groupedColumnsFromBytes } = await load("data/grouped-columns.js");
  const { openGroupRanges } = await load("data/group-ranges.js");
  let t = cpu();
  const whole = streamGroupedColumns(file, opts);
  const stream = cpu() - t;
  if (whole === null) throw new Error("streamGroupedColumns handed the file back");
  t = cpu();
  const scan = openGroupRanges(file, { ...opts, groupsPerRange: perRange });
  const ranges = [];
  for (let r = scan.next(); r !== null; r = scan.next()) {
    if (r === "ungrouped") throw new Error("the range scan gave up");
    ranges.push(r);
  }
  scan.close();
  const rangeScan = cpu() - t;
  t = cpu();
  let rows = 0;
  for (const r of ranges) {
    const c = groupedColumnsFromBytes(file, scan.headerLine, r.bytes, opts, r.firstLine);
    if (c === null) throw new Error(`range at line ${r.firstLine} handed back`);
    rows += c.columns[0].length;
  }
  const fromBytes = cpu() - t;
  if (rows !== whole.columns[0].length) throw new Error("rows differ between the two reads");
  process.stdout.write(JSON.stringify({ stream, rangeScan, fromBytes, rows }));
}

const args = process.argv.slice(2);
if (args[0] === "--child") {
  await child(args[1], args[2], Number(args[3]));
} else {
  const flag = (name, dflt) =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
  const [a, b, file = "bench/out/groups/curves-100000.csv"] = args.filter(
    (x) => !x.startsWith("--"),
  );
  const rounds = Number(flag("rounds", "5"));
  const perRange = Number(flag("per-range", "50"));
  const runs = { A: [], B: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [side, dist] of [
      ["A", a],
      ["B", b],
    ]) {
      const out = spawnSync(
        process.execPath,
        [new URL(import.meta.url).pathname, "--child", dist, file, String(perRange)],
        { encoding: "utf8" },
      );
      if (out.status !== 0) throw new Error(`${side}: ${out.stderr}`);
      runs[side].push(JSON.parse(out.stdout));
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((x, y) => x - y);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const report = { file, rounds, perRange, A: a, B: b };
  for (const key of ["stream", "rangeScan", "fromBytes"]) {
    const ma = median(runs.A.map((x) => x[key]));
    const mb = median(runs.B.map((x) => x[key]));
    report[key] = { A_ms: +ma.toFixed(1), B_ms: +mb.toFixed(1), ratio: +(mb / ma).toFixed(3) };
  }
  console.log(JSON.stringify(report, null, 2));
}
