import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { InputError } from "../core/errors.js";
import { readDataset } from "../data/csv.js";
import { compileFormula } from "../formula/compile.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { type ParameterSpec, parameterise } from "../nls/parameters.js";
import { aggregate, type SettingSummary } from "../sweep/aggregate.js";
import { type Budget, parseBudget } from "../sweep/budget.js";
import {
  CLIP_GRID_FORMS,
  DEFAULT_CLIP_KINDS,
  DEFAULT_THRESHOLDS,
  parseGrid,
} from "../sweep/grid.js";
import { optimizerSetting, splitOptimizer, trainSpecText } from "../sweep/optimizer-spec.js";
import { outFormat, sweepCsv, sweepJson } from "../sweep/output.js";
import { type Plan, planSweep } from "../sweep/plan.js";
import { defaultWorkers, RunFailure } from "../sweep/pool.js";
import { recommend, WITHIN_FACTOR } from "../sweep/recommend.js";
import { EXPLODE_FACTOR } from "../sweep/record.js";
import { prepareSweep, type SweepOutcome } from "../sweep/run.js";
import type { OptimizerSetting, RunSpec } from "../sweep/spec.js";
import type { NonFinitePolicy } from "../transforms/non-finite.js";
import { checkFormulaUses, resolveModel } from "./fit-model.js";
import { parseAssignments, parseBounds } from "./fit-specs.js";
import { percent, sci, table } from "./format.js";
import type { CliIO } from "./io.js";
import { parseInteger, parseNumber, parseOptimizer } from "./specs.js";

/**
 * `biograd sweep train|fit FILE …`: choosing the clipping range by experiment (the seed
 * document's FAQ 2). A grid of clips (the unclipped baseline always included) × learning
 * rates × seeds runs on worker threads through the library; the output ranks the settings
 * and recommends a threshold range with its evidence. Usage errors exit 2 before any run.
 */
interface SweepFlags {
  x: string;
  y: string;
  model: string;
  clip?: string;
  clipKinds?: string;
  thresholds?: string;
  lr?: string;
  optimizer: string;
  seeds: string;
  lossThreshold?: number;
  onNonFinite: NonFinitePolicy;
  workers?: number;
  budget?: string;
  resume?: string;
  out?: string;
  within: number;
  explodeFactor: number;
  na?: string;
  delimiter?: string;
}

export interface SweepTrainFlags extends SweepFlags {
  epochs: number;
  batchSize?: number;
}

export interface SweepFitFlags extends SweepFlags {
  start?: string;
  const?: string;
  fix?: string;
  bounds?: string;
  steps: number;
  startJitter: number;
}

const DEFAULT_LRS = { train: "0.001,0.01,0.1", fit: "0.01,0.05,0.2" } as const;

export function registerSweep(program: Command, io: CliIO, setCode: (code: number) => void): void {
  const sweep = program
    .command("sweep")
    .description(
      "Choose the clipping range by experiment: clips × learning rates × seeds on worker threads, ranked, with a recommendation",
    );
  const train = sweep
    .command("train")
    .description("Sweep `biograd train` runs (linear model on a CSV/TSV)")
    .argument("<file>", "CSV or TSV file with a header row")
    .requiredOption("--x <columns>", "feature columns, comma-separated")
    .requiredOption("--y <column>", "target column")
    .addOption(new Option("--model <name>", "model").choices(["linear"]).default("linear"))
    .option("--epochs <n>", "epoch budget of each run", int("--epochs", 1), 1000)
    .option("--batch-size <n>", "rows per step (default: all rows)", int("--batch-size", 1));
  gridOptions(train, "train", "sgd", "error").action(async (file: string, flags: SweepTrainFlags) =>
    setCode(await sweepTrain(file, flags, io)),
  );

  const fit = sweep
    .command("fit")
    .description(
      "Sweep the clipped first-order phase of `biograd fit` (no Levenberg–Marquardt polish)",
    )
    .argument("<file>", "CSV or TSV file with a header row")
    .requiredOption("--model <name|formula>", "library model or formula, as for `biograd fit`")
    .requiredOption("--x <columns>", "variable column(s), comma-separated")
    .requiredOption("--y <column>", "response column")
    .option("--start <name=value,…>", "start values (library models start themselves)")
    .option("--const <name=value,…>", "named constants in the formula")
    .option("--bounds <name=lo:hi,…>", "bounds as a reparameterisation")
    .option("--fix <name=value,…>", "hold parameters fixed")
    .option("--steps <n>", "first-order step budget of each run", int("--steps", 1), 3000)
    .option(
      "--start-jitter <s>",
      "seed s > 0 moves each free parameter's internal coordinate by s·N(0,1); seed 0 keeps the start",
      nonNegative("--start-jitter"),
      0.5,
    );
  gridOptions(fit, "fit", "adam", "skip").action(async (file: string, flags: SweepFitFlags) =>
    setCode(await sweepFit(file, flags, io)),
  );
}

function gridOptions(
  cmd: Command,
  kind: "train" | "fit",
  optimizer: string,
  onNonFinite: NonFinitePolicy,
): Command {
  return cmd
    .option(
      "--clip <list>",
      `clip settings, comma-separated: ${CLIP_GRID_FORMS} ("none" is always added)`,
    )
    .option(
      "--clip-kinds <list>",
      `clip kinds, crossed with --thresholds (default ${DEFAULT_CLIP_KINDS})`,
    )
    .option("--thresholds <list>", `thresholds for --clip-kinds (default ${DEFAULT_THRESHOLDS})`)
    .option("--lr <list>", `learning rates (default ${DEFAULT_LRS[kind]})`)
    .option(
      "--optimizer <spec>",
      "sgd[,momentum=M][,nesterov] | adam[,b1=…][,b2=…][,eps=…] | adamw[,weight-decay=W]",
      optimizer,
    )
    .option("--seeds <n|list>", "N (seeds 0…N-1) or a list such as 1,5,9 or 0-4", "3")
    .option(
      "--loss-threshold <t>",
      kind === "train"
        ? "stop a run when its epoch loss is <= t; the epochs to reach it are reported"
        : "report the steps until the loss is <= t (the phase runs on to its own stop)",
      nonNegative("--loss-threshold"),
    )
    .addOption(
      new Option(
        "--on-non-finite <policy>",
        "what clips do with NaN/Inf gradients (error: the run counts as diverged)",
      )
        .choices(["error", "skip", "zero"])
        .default(onNonFinite),
    )
    .option(
      "--workers <n>",
      `worker threads (default: available cores, ${defaultWorkers()} here; 0: run in this thread)`,
      int("--workers", 0),
    )
    .option(
      "--budget <runs:N|epochs:N>",
      "cap the work: at most N runs, or N planned epochs in all",
    )
    .option(
      "--resume <journal.jsonl>",
      "append each finished run to this journal; skip the runs it holds",
    )
    .option("--out <file>", "write the results: .json (everything) or .csv (one row per run)")
    .option(
      "--within <factor>",
      "recommend settings whose every run ends within this factor of the best loss",
      atLeast("--within", 1),
      WITHIN_FACTOR,
    )
    .option(
      "--explode-factor <f>",
      "a last loss above f × the initial loss counts as diverged",
      atLeast("--explode-factor", 1),
      EXPLODE_FACTOR,
    )
    .option("--na <tokens>", "comma-separated tokens that mark missing values (rows are dropped)")
    .option("--delimiter <char>", "field delimiter (default: by extension, tab for .tsv)");
}

async function sweepTrain(file: string, flags: SweepTrainFlags, io: CliIO): Promise<number> {
  const columns = splitColumns(flags.x);
  const setup = commonSetup(file, flags, "train");
  const data = readDataset(file, dataOptions(columns, flags));
  const plan = planSweep(setup.grid, (clip, lr, seed) => ({
    command: "train",
    ...setup.dataFields(columns),
    model: "linear",
    clip,
    optimizer: setup.optimizer(lr),
    onNonFinite: flags.onNonFinite,
    epochs: flags.epochs,
    batchSize: flags.batchSize ?? null,
    lossThreshold: flags.lossThreshold ?? null,
    seed,
  }));
  io.out(`biograd sweep train: linear regression of ${data.target} on ${columns.join(", ")}`);
  io.out(`data: ${data.source} (${data.rows} rows)`);
  const budget = `${setup.optimizerName}, ${flags.epochs} epochs${flags.batchSize ? `, batch ${flags.batchSize}` : ""}`;
  return execute(io, "train", flags, setup, plan, budget);
}

async function sweepFit(file: string, flags: SweepFitFlags, io: CliIO): Promise<number> {
  const columns = splitColumns(flags.x);
  const setup = commonSetup(file, flags, "fit");
  const constants = flags.const
    ? parseAssignments("--const", flags.const)
    : new Map<string, number>();
  const starts = flags.start ? parseAssignments("--start", flags.start) : new Map<string, number>();
  const fixes = flags.fix ? parseAssignments("--fix", flags.fix) : new Map<string, number>();
  const bounds = flags.bounds ? parseBounds(flags.bounds) : new Map();
  const model = resolveModel(flags.model, columns, constants, [...starts.keys(), ...fixes.keys()]);
  for (const [option, map] of [
    ["--start", starts],
    ["--fix", fixes],
    ["--bounds", bounds],
  ] as const) {
    for (const name of map.keys()) {
      if (!model.params.includes(name)) {
        throw new InputError(
          `${option}: "${name}" is not a parameter of the model (parameters: ${model.params.join(", ")})`,
        );
      }
    }
  }
  const data = readDataset(file, dataOptions(columns, flags));
  const constObject = Object.fromEntries(constants);
  compileFormula(model.formula, {
    params: model.params,
    variables: model.variables,
    constants: constObject,
  });
  checkFormulaUses(model);
  const xColumns = columns.map((_, k) =>
    Float64Array.from({ length: data.rows }, (_, i) => data.x[i * columns.length + k]!),
  );
  const selfStart = model.library ? model.library.selfStart(xColumns, data.y, constObject) : {};
  const positive = new Set(model.library?.positive ?? []);
  const specs: ParameterSpec[] = model.params.map((name) => {
    const fixed = fixes.get(name);
    const start = fixed ?? starts.get(name) ?? selfStart[name];
    if (start === undefined) {
      throw new InputError(`--start: missing a start value for ${name} (e.g. --start ${name}=1)`);
    }
    const b =
      bounds.get(name) ??
      (positive.has(name) ? { lower: 0, upper: Number.POSITIVE_INFINITY } : null);
    return { name, start, fixed: fixed !== undefined, lower: b?.lower, upper: b?.upper };
  });
  parameterise(specs); // starts inside bounds, lower < upper: checked here, before any run
  const parameters = specs.map((s) => ({
    name: s.name,
    start: s.start,
    lower: s.lower === undefined || !Number.isFinite(s.lower) ? null : s.lower,
    upper: s.upper === undefined || !Number.isFinite(s.upper) ? null : s.upper,
    fixed: s.fixed === true,
  }));
  const plan = planSweep(setup.grid, (clip, lr, seed) => ({
    command: "fit",
    ...setup.dataFields(columns),
    formula: model.formula,
    variables: model.variables,
    constants: constObject,
    parameters,
    clip,
    optimizer: setup.optimizer(lr),
    onNonFinite: flags.onNonFinite,
    steps: flags.steps,
    lossThreshold: flags.lossThreshold ?? null,
    seed,
    startJitter: flags.startJitter,
  }));
  io.out(
    `biograd sweep fit: ${model.name} ${model.formula} for ${data.target} on ${columns.join(", ")}`,
  );
  io.out(
    `data: ${data.source} (${data.rows} rows); first-order phase only, loss = mean squared residual`,
  );
  const budget = `${setup.optimizerName}, ${flags.steps} steps, start jitter ${flags.startJitter}`;
  return execute(io, "fit", flags, setup, plan, budget);
}

interface Setup {
  grid: ReturnType<typeof parseGrid>;
  optimizerName: string;
  optimizer: (lr: number) => OptimizerSetting;
  dataFields: (
    x: string[],
  ) => Pick<RunSpec, "file" | "fileSha256" | "x" | "y" | "na" | "delimiter">;
  budget: Budget | null;
  workers: number;
}

/** Everything both subcommands check before reading data: grid, optimizer, budget, --out. */
function commonSetup(file: string, flags: SweepFlags, kind: "train" | "fit"): Setup {
  if (flags.out !== undefined) outFormat(flags.out);
  const opt = splitOptimizer(flags.optimizer);
  if (opt.lrInSpec !== undefined && flags.lr !== undefined) {
    throw new InputError(
      `--optimizer: give the learning rates with --lr, not in the optimizer spec ("${flags.optimizer}")`,
    );
  }
  const grid = parseGrid({
    clip: flags.clip,
    clipKinds: flags.clipKinds,
    thresholds: flags.thresholds,
    lr: flags.lr ?? opt.lrInSpec ?? DEFAULT_LRS[kind],
    seeds: flags.seeds,
  });
  // The existing spec parser checks the settings and their domains, with its messages.
  for (const lr of grid.lrs) parseOptimizer(trainSpecText(opt, lr));
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    bytes = Buffer.alloc(0); // readDataset reports the missing file with its own message
  }
  const fileSha256 = createHash("sha256").update(bytes).digest("hex");
  const path = resolve(file);
  return {
    grid,
    optimizerName: [opt.name, ...opt.settings].join(","),
    optimizer: (lr) => optimizerSetting(opt, lr),
    dataFields: (x) => ({
      file: path,
      fileSha256,
      x,
      y: flags.y,
      na: flags.na === undefined ? null : flags.na.split(","),
      delimiter: flags.delimiter ?? null,
    }),
    budget: flags.budget === undefined ? null : parseBudget(flags.budget),
    workers: flags.workers ?? defaultWorkers(),
  };
}

async function execute(
  io: CliIO,
  kind: "train" | "fit",
  flags: SweepFlags,
  setup: Setup,
  plan: Plan,
  runBudget: string,
): Promise<number> {
  const { grid } = setup;
  io.out(
    `grid: ${plural(grid.clips.length, "clip")}${grid.baselineAdded ? ' (baseline "none" added)' : ""} × ` +
      `${plural(grid.lrs.length, "learning rate")} × ${plural(grid.seeds.length, "seed")} = ` +
      `${plural(plan.runs.length, "run")}; ${runBudget}`,
  );

  const total = plan.runs.length;
  let progressStep = 0;
  const sweep = prepareSweep(plan, {
    workers: setup.workers,
    budget: setup.budget,
    journal: flags.resume ?? null,
    explodeFactor: flags.explodeFactor,
    onRun: (_r, done, selected) => {
      const step = Math.max(1, Math.floor(selected / 10));
      if (done >= progressStep + step || done === selected) {
        progressStep = done;
        io.err(`sweep: ${done}/${selected} runs done`);
      }
    },
  });
  const { selected, skipped } = sweep;
  if (setup.budget) {
    const bySeed = new Map<number, number>();
    for (const r of skipped) bySeed.set(r.seed, (bySeed.get(r.seed) ?? 0) + 1);
    const parts = [...bySeed].map(([seed, n]) => `seed ${seed}: ${n} setting${n === 1 ? "" : "s"}`);
    io.out(
      `budget ${setup.budget.unit}:${setup.budget.limit}: ${selected.length} of ${total} runs` +
        (skipped.length
          ? `; skipped ${skipped.length} (${parts.join("; ")}), seed by seed in grid order`
          : ""),
    );
  }
  if (sweep.journal) {
    const j = sweep.journal;
    const notes = [
      j.tornBytes ? `cut a torn last line of ${j.tornBytes} bytes` : "",
      j.ignoredLines ? `ignored ${j.ignoredLines} bad or repeated lines` : "",
      j.otherRuns ? `${j.otherRuns} entries belong to other sweeps` : "",
    ].filter(Boolean);
    io.out(
      `resume: ${sweep.resumed} of ${selected.length} runs already in ${flags.resume}; ` +
        `running ${selected.length - sweep.resumed}` +
        (notes.length ? ` (${notes.join("; ")})` : ""),
    );
  }
  let outcome: SweepOutcome;
  try {
    outcome = await sweep.run();
  } catch (error) {
    if (!(error instanceof RunFailure)) throw error;
    const run = plan.runs.find((r) => r.key === error.key);
    throw error.toError(run ? `run ${run.setting.label} seed ${run.seed}` : `run ${error.key}`);
  }
  const { results } = outcome;
  const ranNow = results.length - outcome.resumed;
  const seconds = outcome.elapsedMs / 1000;
  const where =
    setup.workers === 0
      ? "in the main thread"
      : `on ${setup.workers} worker thread${setup.workers === 1 ? "" : "s"}`;
  io.out(
    `ran ${ranNow} runs ${where} in ${seconds.toFixed(2)} s` +
      (ranNow > 0 ? ` (${(ranNow / seconds).toFixed(1)} runs/s)` : ""),
  );

  const hasThreshold = flags.lossThreshold !== undefined;
  const ranked = aggregate(plan, results, hasThreshold);
  io.out("");
  for (const line of table(tableRows(ranked, flags.lossThreshold))) io.out(line);
  const unrun = plan.settings.filter((s) => !ranked.some((r) => r.setting === s));
  if (unrun.length) io.out(`not run (budget): ${unrun.map((s) => s.label).join(", ")}`);
  const rec = recommend(ranked, results, {
    within: flags.within,
    lossThreshold: flags.lossThreshold,
  });
  io.out("");
  for (const line of rec.text) io.out(line);

  if (flags.out) {
    const text =
      outFormat(flags.out) === "csv"
        ? sweepCsv(results)
        : sweepJson({
            command: kind,
            settings: { ...flags },
            results,
            skipped,
            table: ranked,
            recommendation: rec,
          });
    writeFileAtomic(flags.out, text);
    io.out(`wrote ${flags.out}`);
  }
  return 0;
}

function tableRows(ranked: readonly SettingSummary[], threshold: number | undefined): string[][] {
  const head = ["rank", "setting", "runs", "diverged", "median final", "median best"];
  if (threshold !== undefined) head.push(`reached ${sci(threshold, 2)}`, "median epochs");
  head.push("clipped", "median ms");
  const rows = [head];
  for (const r of ranked) {
    const row = [
      String(r.rank),
      r.setting.baseline ? `${r.setting.label} (baseline)` : r.setting.label,
      String(r.runs),
      divergenceText(r.diverged, r.runs, r.nonFinite, r.exploded),
      lossText(r.medianFinalLoss),
      lossText(r.medianBestLoss),
    ];
    if (threshold !== undefined) {
      row.push(
        `${r.reached}/${r.runs}`,
        r.medianEpochsToThreshold === null ? "-" : String(r.medianEpochsToThreshold),
      );
    }
    row.push(
      percent(r.meanClipFraction),
      r.medianTimeMs === null ? "-" : r.medianTimeMs.toFixed(1),
    );
    rows.push(row);
  }
  return rows;
}

/** `0/3`, `3/3 non-finite`, `2/3: 1 non-finite, 1 exploded`. */
function divergenceText(
  diverged: number,
  runs: number,
  nonFinite: number,
  exploded: number,
): string {
  const count = `${diverged}/${runs}`;
  if (diverged === 0) return count;
  if (nonFinite === 0) return `${count} exploded`;
  if (exploded === 0) return `${count} non-finite`;
  return `${count}: ${nonFinite} non-finite, ${exploded} exploded`;
}

function lossText(x: number | null): string {
  return x === null ? "non-finite" : sci(x);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function splitColumns(text: string): string[] {
  const columns = text.split(",").map((s) => s.trim());
  if (columns.some((c) => c === "")) throw new InputError(`--x: empty column name in "${text}"`);
  return columns;
}

function dataOptions(columns: string[], flags: SweepFlags) {
  return {
    x: columns,
    y: flags.y,
    na: flags.na === undefined ? undefined : flags.na.split(","),
    delimiter: flags.delimiter,
  };
}

const int = (flag: string, min: number) => (v: string) => parseInteger(flag, v, min);
const nonNegative = (flag: string) => (v: string) => {
  const x = parseNumber(flag, v);
  if (x < 0) throw new InputError(`${flag}: expected a number >= 0, got "${v}"`);
  return x;
};
const atLeast = (flag: string, min: number) => (v: string) => {
  const x = parseNumber(flag, v);
  if (x < min) throw new InputError(`${flag}: expected a number >= ${min}, got "${v}"`);
  return x;
};
